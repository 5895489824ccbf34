import Foundation
import GRDB
import GRDBSQLite

/// Runs one prepared insert many times, binding byte arrays and integers straight to SQLite.
/// A block's write is thousands of rows of the same statement; GRDB's general argument path
/// (boxed values, `Data` copies) cost more CPU than SQLite itself there.
struct BulkInsert {
    /// A value bound to one parameter.
    enum Value {
        case bytes([UInt8])
        case integer(Int64)
    }

    private let statement: Statement
    private let db: Database

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds `values` to parameters 1… and steps the statement once.
    func run(_ values: Value...) throws {
        let stmt = statement.sqliteStatement
        sqlite3_reset(stmt)
        // No binding may outlive the buffers it points to, whichever way this returns.
        defer {
            sqlite3_reset(stmt)
            sqlite3_clear_bindings(stmt)
        }
        // SQLITE_STATIC: the buffers stay alive until `sqlite3_step` returns, so SQLite need not copy them.
        let code = try bind(values[...], to: stmt) { sqlite3_step(stmt) }
        guard code == SQLITE_DONE else { throw Self.error(code, db) }
    }

    private func bind(_ values: ArraySlice<Value>, to stmt: OpaquePointer, then step: () -> Int32) throws -> Int32 {
        guard let first = values.first else { return step() }
        let index = Int32(values.startIndex + 1)
        let rest = values.dropFirst()
        switch first {
        case .integer(let n):
            let code = sqlite3_bind_int64(stmt, index, n)
            guard code == SQLITE_OK else { throw Self.error(code, db) }
            return try bind(rest, to: stmt, then: step)
        case .bytes(let bytes):
            guard bytes.count <= Int(Int32.max) else { throw DatabaseError(resultCode: .SQLITE_TOOBIG, message: "a value of \(bytes.count) bytes") }
            return try bytes.withUnsafeBytes { buffer in
                // An empty buffer has no address; SQLite stores a zero-length blob for any non-null pointer.
                let code = sqlite3_bind_blob(stmt, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), nil)
                guard code == SQLITE_OK else { throw Self.error(code, db) }
                return try bind(rest, to: stmt, then: step)
            }
        }
    }

    private static func error(_ code: Int32, _ db: Database) -> DatabaseError {
        let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) } ?? "SQLite error \(code)"
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }
}
