import DynamoModel

/// DynamoDB's expression languages: condition, filter, key-condition, projection and update expressions.
/// TODO(expressions helper): implement.
package enum Expressions {}
