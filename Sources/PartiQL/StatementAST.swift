import DynamoModel
import Expressions

/// An expression of a PartiQL statement as written: paths, literals, parameters, operators and function calls.
/// Values are bound and checked later (`ValueBinder`), so one parsed statement serves any `Parameters`.
package indirect enum StatementExpression: Sendable, Equatable {
    case path(DocumentPath)
    case string(String)
    /// A number literal as written (checked when bound, so the message can name its place in the value).
    case number(String)
    case boolean(Bool)
    case null
    case missing
    /// The parameter at this zero-based position.
    case parameter(Int)
    case list([StatementExpression])
    /// A map literal (`{'key': value}`), members in the order written.
    case map([MapMember])
    /// A set literal (`<<a, b>>`).
    case bag([StatementExpression])
    case compare(StatementExpression, Comparator, StatementExpression)
    case between(StatementExpression, StatementExpression, StatementExpression)
    case isIn(StatementExpression, [StatementExpression])
    case and(StatementExpression, StatementExpression)
    case or(StatementExpression, StatementExpression)
    case not(StatementExpression)
    /// `e IS [NOT] TYPE` (MISSING, NULL, a type name).
    case isType(StatementExpression, typeName: String, negated: Bool, token: StatementToken)
    case function(name: String, arguments: [StatementExpression], token: StatementToken)
    /// `a + b`, `a - b` (UPDATE SET values only).
    case arithmetic(StatementExpression, plus: Bool, StatementExpression)
}

/// One `'key': value` member of a map literal.
package struct MapMember: Sendable, Equatable {
    package var key: String
    package var value: StatementExpression
}

/// The `RETURNING` clause of UPDATE and DELETE.
package enum ReturningClause: String, Sendable, Equatable {
    case allOld = "ALL OLD *"
    case allNew = "ALL NEW *"
    case modifiedOld = "MODIFIED OLD *"
    case modifiedNew = "MODIFIED NEW *"

    /// The UpdateItem `ReturnValues` option it stands for.
    package var returnValues: String {
        switch self {
        case .allOld: return "ALL_OLD"
        case .allNew: return "ALL_NEW"
        case .modifiedOld: return "UPDATED_OLD"
        case .modifiedNew: return "UPDATED_NEW"
        }
    }
}

/// `SELECT projection FROM "table"["index"] [WHERE …] [ORDER BY …]`.
package struct SelectStatement: Sendable, Equatable {
    /// nil: `*`.
    package var projection: [DocumentPath]?
    package var tableName: String
    package var indexName: String?
    package var whereClause: StatementExpression?
    /// `ORDER BY` attributes with their direction (true: descending).
    package var orderBy: [(name: String, descending: Bool)]

    package static func == (lhs: SelectStatement, rhs: SelectStatement) -> Bool {
        lhs.projection == rhs.projection && lhs.tableName == rhs.tableName && lhs.indexName == rhs.indexName
            && lhs.whereClause == rhs.whereClause
            && lhs.orderBy.map(\.name) == rhs.orderBy.map(\.name) && lhs.orderBy.map(\.descending) == rhs.orderBy.map(\.descending)
    }
}

/// `INSERT INTO "table" VALUE {…}`.
package struct InsertStatement: Sendable, Equatable {
    package var tableName: String
    package var value: StatementExpression
}

/// One action of an UPDATE.
package enum UpdateClause: Sendable, Equatable {
    /// `SET path = value`.
    case set(DocumentPath, StatementExpression)
    case remove(DocumentPath)
}

/// `UPDATE "table" SET … REMOVE … WHERE … [RETURNING …]` (or the FROM-first form).
package struct UpdateStatement: Sendable, Equatable {
    package var tableName: String
    package var clauses: [UpdateClause]
    package var whereClause: StatementExpression?
    package var returning: ReturningClause?
}

/// `DELETE FROM "table" WHERE … [RETURNING ALL OLD *]`.
package struct DeleteStatement: Sendable, Equatable {
    package var tableName: String
    package var whereClause: StatementExpression?
    package var returning: ReturningClause?
}

/// A parsed statement.
package enum Statement: Sendable, Equatable {
    case select(SelectStatement)
    case insert(InsertStatement)
    case update(UpdateStatement)
    case delete(DeleteStatement)
    /// `EXISTS(SELECT …)`: a condition check (ExecuteTransaction only).
    case exists(SelectStatement)

    /// Whether the statement only reads.
    package var isRead: Bool {
        if case .select = self { return true }
        return false
    }

    /// The table the statement names.
    package var tableName: String {
        switch self {
        case .select(let select), .exists(let select): return select.tableName
        case .insert(let insert): return insert.tableName
        case .update(let update): return update.tableName
        case .delete(let delete): return delete.tableName
        }
    }
}

/// A statement with the number of `?` parameters it takes.
package struct ParsedStatement: Sendable, Equatable {
    package var statement: Statement
    package var parameterCount: Int
}
