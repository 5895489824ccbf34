import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small XML path for bulk requests over XML sources: `/rss/channel/item[2]/title` (element
/// names from the root, optional 1-based index) selects that element's text; a last step `@name`
/// selects an attribute. External entities are never resolved; depth and size are bounded.
public struct XMLPath: Hashable, Sendable, CustomStringConvertible {
    struct Step: Hashable, Sendable { let name: String; let index: Int }

    let steps: [Step]
    let attribute: String?
    public let description: String

    public init(_ text: String) throws {
        guard text.hasPrefix("/"), text.count > 1 else { throw OracleError.invalidPointer("an XML path starts with / and names the root element") }
        var parts = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var attribute: String?
        if let last = parts.last, last.hasPrefix("@") {
            attribute = String(last.dropFirst())
            parts.removeLast()
            guard !(attribute ?? "").isEmpty else { throw OracleError.invalidPointer("empty attribute name in \(text)") }
        }
        steps = try parts.map { part in
            guard !part.isEmpty else { throw OracleError.invalidPointer("empty step in \(text)") }
            guard let open = part.firstIndex(of: "[") else { return Step(name: part, index: 1) }
            guard part.hasSuffix("]"), let n = Int(part[part.index(after: open)..<part.index(before: part.endIndex)]), n >= 1 else {
                throw OracleError.invalidPointer("step \(part) needs a positive index like item[2]")
            }
            return Step(name: String(part[..<open]), index: n)
        }
        guard !steps.isEmpty else { throw OracleError.invalidPointer("\(text) names no element") }
        self.attribute = attribute
        description = text
    }

    /// The selected text (an element's text content, trimmed, or an attribute's value).
    public func resolve(in document: XMLDocumentTree) throws -> String {
        guard document.root.name == steps[0].name, steps[0].index == 1 else { throw OracleError.pathNotFound(description) }
        var node = document.root
        for step in steps.dropFirst() {
            let matches = node.children.filter { $0.name == step.name }
            guard step.index <= matches.count else { throw OracleError.pathNotFound(description) }
            node = matches[step.index - 1]
        }
        if let attribute {
            guard let v = node.attributes[attribute] else { throw OracleError.pathNotFound(description) }
            return v
        }
        return node.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// An XML document read into elements (names, attributes, text, children).
public struct XMLDocumentTree: Sendable {
    public final class Element: @unchecked Sendable {
        public let name: String
        public let attributes: [String: String]
        public internal(set) var text = ""
        public internal(set) var children: [Element] = []
        init(name: String, attributes: [String: String]) { self.name = name; self.attributes = attributes }
    }

    public static let maxDepth = 64
    public let root: Element

    public init(parsing bytes: [UInt8]) throws {
        guard bytes.count <= OracleJSON.maxBytes else { throw OracleError.documentTooLarge(bytes.count, limit: OracleJSON.maxBytes) }
        // Foundation's parser on Linux traps on an element or attribute name that is not UTF-8 (found by
        // the xml-path fuzz harness: `<\xefss>` killed the process), so such a document is refused first.
        guard String(validating: bytes, as: UTF8.self) != nil else { throw OracleError.invalidJSON(offset: 0, "XML: the document is not UTF-8") }
        // The same parser hands a processing instruction's data to strlen unchecked, and libxml2 passes
        // none for `<?target?>` (the xml-path harness's second crash): refused first.
        if let at = Self.dataLessProcessingInstruction(in: bytes) {
            throw OracleError.invalidJSON(offset: at, "XML: a processing instruction without data")
        }
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        // libxml2 may recover from mismatched tags; a document must close exactly what it opened.
        guard parser.parse(), builder.failure == nil, builder.stack.isEmpty, let root = builder.root else {
            throw OracleError.invalidJSON(offset: parser.lineNumber, "XML: \(builder.failure ?? parser.parserError?.localizedDescription ?? "not well-formed")")
        }
        self.root = root
    }

    /// The offset of the first `<?name?>` (a processing instruction whose name runs straight into `?>`),
    /// if any. Also matches such text inside comments or CDATA, which is refused all the same.
    static func dataLessProcessingInstruction(in bytes: [UInt8]) -> Int? {
        let lt = UInt8(ascii: "<"), question = UInt8(ascii: "?"), gt = UInt8(ascii: ">")
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == lt, bytes[i + 1] == question {
                var j = i + 2
                while j < bytes.count, bytes[j] != question, ![0x20, 0x09, 0x0a, 0x0d].contains(bytes[j]) { j += 1 }
                if j + 1 < bytes.count, bytes[j] == question, bytes[j + 1] == gt { return i }
            }
            i += 1
        }
        return nil
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var root: Element?
        var stack: [Element] = []
        var failure: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            guard stack.count < XMLDocumentTree.maxDepth else {
                failure = "nests deeper than \(XMLDocumentTree.maxDepth) levels"
                parser.abortParsing()
                return
            }
            let e = Element(name: name, attributes: attributes)
            if let parent = stack.last { parent.children.append(e) } else if root == nil { root = e }
            stack.append(e)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard stack.last?.name == name else {
                failure = "</\(name)> closes <\(stack.last?.name ?? "nothing")>"
                parser.abortParsing()
                return
            }
            stack.removeLast()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
        func parser(_ parser: XMLParser, foundCDATA block: Data) { stack.last?.text += String(decoding: block, as: UTF8.self) }
    }
}
