using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.Scopes;

namespace AuthServer.Tokens;

/// <summary>Third stage: what the caller gets. Less than asked is not an error (token.md).</summary>
public sealed class AccessResolver(PolicyStore policies)
{
    public async Task<IReadOnlyList<ScopeDecision>> ResolveAsync(
        Principal principal, string service, IReadOnlyList<ResourceScope> requested, CancellationToken ct)
    {
        var snapshot = await policies.GetAsync(ct);
        return snapshot.Decide(principal, service, requested);
    }
}
