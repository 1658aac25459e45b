namespace AuthServer.Core.Policy.Lint;

/// <summary>Error: the rule can never take effect. Warning: it takes effect less than it reads. Info: it adds nothing.</summary>
public enum LintSeverity { Error, Warning, Info }

/// <summary>One problem with one rule.</summary>
/// <param name="Code">Stable, for scripts: unknown-service, subject-missing, empty-group, admin-subject, user-variable, pattern-unreachable, redundant-wildcard, duplicate, redundant, deny-without-allow, grants-nothing.</param>
/// <param name="Related">Other rules the finding is about (the duplicate, the deny that cancels it).</param>
public sealed record LintFinding(long RuleId, string Code, LintSeverity Severity, string Message, IReadOnlyList<long> Related);

/// <summary>What the rules are checked against: the accounts, groups and services that exist now.</summary>
public sealed record LintInput(
    IReadOnlyList<AccessRule> Rules,
    IReadOnlyDictionary<string, bool> UsersAreAdmin,
    IReadOnlyDictionary<string, IReadOnlySet<string>> GroupMembers,
    IReadOnlySet<string> Robots,
    IReadOnlySet<string> Services);
