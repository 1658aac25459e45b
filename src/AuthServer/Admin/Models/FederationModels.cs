using AuthServer.Core.Federation;
using AuthServer.Core.Policy.Explain;

namespace AuthServer.Admin.Models;

/// <summary>A trust as operators see it (nothing in one is secret).</summary>
public sealed record TrustView(
    string Name, string Issuer, IReadOnlyList<string> Audiences, IReadOnlyDictionary<string, string> Claims, string Robot,
    TimeSpan? MaxTokenLifetime, bool AllowRefresh)
{
    public static TrustView From(TrustOptions t) => new(t.Name, t.Issuer, t.Audiences, t.Claims, t.Robot, t.MaxTokenLifetime, t.AllowRefresh);
}

/// <summary>"What would an ID token with these claims get?": its issuer, audience and claims, and the scopes to explain.</summary>
public sealed record IdTokenExplainRequest(
    string? Issuer, string? Audience, Dictionary<string, string>? Claims, string? Robot, string? Service, IReadOnlyCollection<string>? Scopes);

/// <summary>The trust it would meet (or why none), and then what the robot would be granted.</summary>
public sealed record IdTokenExplanation(TrustMatch Match, Explanation? Access);
