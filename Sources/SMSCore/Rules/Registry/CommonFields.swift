/// Names every template can use.
public enum CommonFields {
    public static let schema: [String: TemplateSchema.Kind] = [
        "brand_name": .text, "stars": .text, "hotline": .text, "today": .text,
    ]

    /// Adds the common names to a rule's values.
    static func add(to scope: inout TemplateScope, subscriber: Subscriber, stars: Int, today: String, hotline: String) {
        scope.appendNew("brand_name", .text(subscriber.brand.chineseName))
        scope.appendNew("stars", .text(String(stars)))
        scope.appendNew("hotline", .text(hotline))
        scope.appendNew("today", .text(today))
    }

    /// Adds `first` and `last` flags to list elements, for separators such as `{{^last}}、{{/last}}`.
    static func positioned(_ elements: [TemplateScope]) -> [TemplateScope] {
        elements.enumerated().map { index, element in
            var e = element
            e.appendNew("first", .flag(index == 0))
            e.appendNew("last", .flag(index == elements.count - 1))
            return e
        }
    }

    static let positionFields: [String: TemplateSchema.Kind] = ["first": .flag, "last": .flag]
}
