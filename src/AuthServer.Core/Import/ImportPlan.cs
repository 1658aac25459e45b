using AuthServer.Core.Policy;

namespace AuthServer.Core.Import;

/// <summary>A user to bring in with the password hash they already have (stored form, see <c>PasswordHashFormat</c>).</summary>
public sealed record ImportedUser(string Name, string StoredHash, IReadOnlyList<string> Groups);

/// <summary>
/// Something the import could not bring over as it was, said in one line: a user skipped or
/// refused, or an ACL entry whose decisions differ here. <paramref name="Entries"/> are the
/// docker_auth ACL entries (numbered from 1, as an operator counts them) the line is about.
/// </summary>
public sealed record ImportFinding(string Kind, string Message, IReadOnlyList<int> Entries)
{
    /// <summary>A line of the file refused: an invalid name, a malformed line, a duplicate.</summary>
    public const string Refused = "refused";

    /// <summary>A user left out: a password hash in a scheme this server cannot verify.</summary>
    public const string Skipped = "skipped";

    /// <summary>ACL entries whose decisions this server's rules give differently, and what was done instead.</summary>
    public const string Difference = "difference";

    /// <summary>Worth knowing, changes no decision.</summary>
    public const string Note = "note";

    public static ImportFinding Of(string kind, string message, params int[] entries) => new(kind, message, entries);
}

/// <summary>What an import would create, computed from the file alone, before the database is looked at.</summary>
public sealed record ImportPlan(
    string Source,
    IReadOnlyList<ImportedUser> Users,
    IReadOnlyList<string> Groups,
    IReadOnlyList<RuleSpec> Rules,
    IReadOnlyList<ImportFinding> Findings);
