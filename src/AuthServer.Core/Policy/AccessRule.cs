namespace AuthServer.Core.Policy;

/// <summary>
/// One access rule: who (subject), where (optional service), what (resource type and name
/// pattern) and which actions it allows or denies. Rules have no order: allows add up, denies
/// subtract.
/// </summary>
public sealed class AccessRule
{
    public long Id { get; set; }
    public RuleEffect Effect { get; set; }
    public SubjectKind SubjectKind { get; set; }

    /// <summary>Normalized user, group or robot name; null for <c>authenticated</c> and <c>anonymous</c>.</summary>
    public string? Subject { get; set; }

    /// <summary>The audience this rule is limited to; null means every configured service.</summary>
    public string? Service { get; set; }

    public required string ResourceType { get; set; }
    public required string Pattern { get; set; }

    /// <summary>Comma-separated, sorted: <c>delete,pull,push</c> or <c>*</c>.</summary>
    public required string Actions { get; set; }

    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum RuleEffect { Allow, Deny }

public enum SubjectKind
{
    /// <summary>One user by name.</summary>
    User,
    /// <summary>Every member of a group.</summary>
    Group,
    /// <summary>Anyone who presented valid credentials, robots included.</summary>
    Authenticated,
    /// <summary>Everyone, with or without credentials: what strangers may do, members may do too.</summary>
    Anonymous,
    /// <summary>One robot by its login name (<c>owner+name</c>).</summary>
    Robot,
}
