using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy;

/// <summary>What one requested resource scope was granted, and (when explaining) why.</summary>
/// <param name="WithheldByCredential">Actions the rules allow but the credential's own scope limits do not.</param>
/// <param name="Notes">When explaining: near misses worth telling (a trailing <c>/**</c> rule whose prefix is the name itself).</param>
public sealed record ScopeDecision(
    ResourceScope Requested,
    IReadOnlyList<string> Granted,
    IReadOnlyList<RuleMatch> Matches,
    bool ByAdmin,
    IReadOnlyList<string>? WithheldByCredential = null,
    IReadOnlyList<string>? Notes = null)
{
    /// <summary>The entry for the token's <c>access</c> claim: plain type, no class (D3 scope.md).</summary>
    public ResourceScope ToGrant() => new(Requested.Type, null, Requested.Name, Granted);
}

/// <summary>A rule that matched the resource, and how it came to apply to the caller.</summary>
public sealed record RuleMatch(long RuleId, RuleEffect Effect, IReadOnlyList<string> Actions, string Via);
