namespace AuthServer.Core.Scopes;

/// <summary>
/// One resource scope, <c>type(class):name:actions</c>, after parsing and merging.
/// Actions are kept sorted and distinct so equal scopes compare and print the same way.
/// </summary>
public sealed record ResourceScope(string Type, string? Class, string Name, IReadOnlyList<string> Actions)
{
    public const string Repository = "repository";
    public const string Registry = "registry";
    public const string Catalog = "catalog";

    /// <summary>The wire form, e.g. <c>repository:team/app:pull,push</c>; the class is kept as requested.</summary>
    public override string ToString()
    {
        var type = Class is null ? Type : $"{Type}({Class})";
        return $"{type}:{Name}:{string.Join(',', Actions)}";
    }

    public ResourceScope WithActions(IEnumerable<string> actions) =>
        this with { Actions = ScopeActions.Normalize(actions) };
}
