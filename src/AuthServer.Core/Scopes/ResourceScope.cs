using System.Runtime.CompilerServices;

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
        var text = new DefaultInterpolatedStringHandler(0, 0, null, stackalloc char[256]);
        AppendTo(ref text);
        return text.ToStringAndClear();
    }

    /// <summary>
    /// The wire forms separated by spaces, as <c>string.Join(' ', scopes)</c> but built in one
    /// string: every token request writes its requested and granted scopes this way.
    /// </summary>
    public static string Join(IReadOnlyList<ResourceScope> scopes)
    {
        if (scopes.Count == 0) return "";
        var text = new DefaultInterpolatedStringHandler(0, 0, null, stackalloc char[512]);
        for (var i = 0; i < scopes.Count; i++)
        {
            if (i > 0) text.AppendLiteral(" ");
            scopes[i].AppendTo(ref text);
        }
        return text.ToStringAndClear();
    }

    private void AppendTo(ref DefaultInterpolatedStringHandler text)
    {
        text.AppendLiteral(Type);
        if (Class is not null)
        {
            text.AppendLiteral("(");
            text.AppendLiteral(Class);
            text.AppendLiteral(")");
        }
        text.AppendLiteral(":");
        text.AppendLiteral(Name);
        text.AppendLiteral(":");
        for (var i = 0; i < Actions.Count; i++)
        {
            if (i > 0) text.AppendLiteral(",");
            text.AppendLiteral(Actions[i]);
        }
    }

    public ResourceScope WithActions(IEnumerable<string> actions) =>
        this with { Actions = ScopeActions.Normalize(actions) };
}
