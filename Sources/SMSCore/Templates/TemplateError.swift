/// A template that cannot be used, with the place it was found.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case unknownVariable(String, known: [String])
        case wrongKind(String, expected: String)
        case unclosedTag
        case emptyTag
        case unclosedSection(String)
        case unexpectedClose(String, open: String?)
        case forbiddenText(String)
        case missingDefault
        case unknownVariant(String)
        case missingValue(String)
        /// A section opened deeper than ``Template/maxDepth``.
        case tooDeep(String, limit: Int)
        /// Only comments and blanks: the message would be the signature alone.
        case noText
    }

    /// The template's file name (or another name for where it came from).
    public var file: String
    public var line: Int
    public var column: Int
    public var reason: Reason

    public init(file: String, line: Int, column: Int, reason: Reason) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line):\(column)" : file
        return "\(place): \(sentence)"
    }

    public var sentence: String {
        switch reason {
        case let .unknownVariable(name, known):
            return "unknown variable '\(name)'; this template can use: \(known.joined(separator: ", "))"
        case let .wrongKind(name, expected):
            return "'\(name)' \(expected)"
        case .unclosedTag:
            return "a '{{' has no matching '}}' on the same line"
        case .emptyTag:
            return "a tag has no name"
        case let .unclosedSection(name):
            return "section '\(name)' is opened here but never closed with {{/\(name)}}"
        case let .unexpectedClose(name, open):
            if let open { return "{{/\(name)}} closes a section, but the open one is '\(open)'" }
            return "{{/\(name)}} closes a section that was never opened"
        case let .forbiddenText(what):
            return "the template contains \(what)"
        case .missingDefault:
            return "the rule has brand variants but no default template"
        case let .unknownVariant(name):
            return "'\(name)' is not a brand; variants are named after gotone, mzone or easyown"
        case let .missingValue(name):
            return "no value for '\(name)' while rendering"
        case let .tooDeep(name, limit):
            return "section '\(name)' is opened inside \(limit) others; sections may nest at most \(limit) deep"
        case .noText:
            return "the template has no text, only comments or blanks: its messages would be the signature alone"
        }
    }
}
