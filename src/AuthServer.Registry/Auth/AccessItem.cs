namespace AuthServer.Registry.Auth;

/// <summary>
/// One action a request needs on one resource (distribution's <c>auth.Access</c>). It is written
/// into the error body's <c>detail</c> with Go's field names, class always empty.
/// </summary>
public sealed record AccessItem(string Type, string Name, string Action)
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";
    public const string All = "*";

    /// <summary>The record as distribution marshals <c>auth.Access</c>: no json tags, so Go field names.</summary>
    public object ToDetail() => new GoAccessRecord(Type, "", Name, Action);

    private sealed record GoAccessRecord(string Type, string Class, string Name, string Action);
}
