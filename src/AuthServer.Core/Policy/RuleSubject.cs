using AuthServer.Core.Identity;

namespace AuthServer.Core.Policy;

/// <summary>The text form of a rule's subject: <c>user:NAME</c>, <c>group:NAME</c>, <c>robot:NAME</c>, <c>authenticated</c>, <c>anonymous</c>.</summary>
public readonly record struct RuleSubject(SubjectKind Kind, string? Name)
{
    public static RuleSubject Parse(string text)
    {
        text = text.Trim();
        if (string.Equals(text, "authenticated", StringComparison.OrdinalIgnoreCase)) return new(SubjectKind.Authenticated, null);
        if (string.Equals(text, "anonymous", StringComparison.OrdinalIgnoreCase)) return new(SubjectKind.Anonymous, null);
        var colon = text.IndexOf(':');
        if (colon > 0)
        {
            var kind = text[..colon].ToLowerInvariant();
            var name = text[(colon + 1)..];
            if (kind == "user") return new(SubjectKind.User, name);
            if (kind == "group") return new(SubjectKind.Group, name);
            if (kind == "robot") return new(SubjectKind.Robot, name);
        }
        throw new FormatException($"subject '{text}' must be user:NAME, group:NAME, robot:NAME, authenticated or anonymous");
    }

    public static string Format(SubjectKind kind, string? name) => kind switch
    {
        SubjectKind.User => $"user:{name}",
        SubjectKind.Group => $"group:{name}",
        SubjectKind.Robot => $"robot:{name}",
        SubjectKind.Authenticated => "authenticated",
        _ => "anonymous",
    };

    public override string ToString() => Format(Kind, Name);

    internal string? NormalizedName => Name is null ? null : Names.Normalize(Name);
}
