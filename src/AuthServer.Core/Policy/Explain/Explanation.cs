namespace AuthServer.Core.Policy.Explain;

/// <summary>Whom to explain a decision for: an account (none for anonymous), optionally one of its access tokens.</summary>
/// <param name="Account">A user name, a robot login (<c>owner+name</c>), or null for an anonymous caller.</param>
/// <param name="AccessToken">The name of one of the user's access tokens, whose scope limits then apply.</param>
/// <param name="Scopes">Scopes as a client asks for them, e.g. <c>repository:team/app:pull,push</c>.</param>
public sealed record ExplainRequest(string? Service, IReadOnlyCollection<string>? Scopes, string? Account = null, string? AccessToken = null);

/// <summary>What the caller would be granted for each requested scope, and why.</summary>
/// <param name="SignInRefusal">Why this account or credential would be refused before any rule is asked (disabled, expired, revoked), or null.</param>
/// <param name="ScopeLimits">The credential's own limits (robot or access token), or null when it has none.</param>
public sealed record Explanation(
    string Account, string AccountKind, bool Admin, string? AccessToken, IReadOnlyList<string>? ScopeLimits, string? SignInRefusal,
    string Service, IReadOnlyList<ScopeExplanation> Scopes);

/// <param name="Matches">Every rule that applied to this caller and resource, whatever its actions.</param>
/// <param name="Notes">Near misses, e.g. a rule <c>team/**</c> when <c>team</c> itself was asked (a trailing <c>/**</c> matches only below).</param>
public sealed record ScopeExplanation(
    string Requested, IReadOnlyList<string> Granted, bool ByAdmin, IReadOnlyList<ActionVerdict> Actions, IReadOnlyList<RuleMatch> Matches,
    IReadOnlyList<string> Notes);

/// <summary>One action's verdict with the rules that decided it.</summary>
public sealed record ActionVerdict(
    string Action, bool Granted, string Reason, IReadOnlyList<long> AllowedBy, IReadOnlyList<long> DeniedBy, bool WithheldByScopeLimits);
