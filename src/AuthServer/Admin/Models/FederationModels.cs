using AuthServer.Core.Federation;
using AuthServer.Core.Policy.Explain;

namespace AuthServer.Admin.Models;

/// <summary>A trust as operators see it (nothing in one is secret); <c>source</c> is <c>settings</c> (read-only here) or <c>database</c>.</summary>
public sealed record TrustView(
    string Name, string Issuer, IReadOnlyList<string> Audiences, IReadOnlyDictionary<string, string> Claims, string Robot,
    TimeSpan? MaxTokenLifetime, bool AllowRefresh, string Source, bool ReadOnly)
{
    public static TrustView From(Trust trust)
    {
        var t = trust.Options;
        return new(t.Name, t.Issuer, t.Audiences, t.Claims, t.Robot, t.MaxTokenLifetime, t.AllowRefresh,
            trust.FromSettings ? "settings" : "database", trust.FromSettings);
    }
}

/// <summary>A trust to add; the same fields as one in AuthServer:Federation:Trusts.</summary>
public sealed record TrustCreate(
    string? Name, string? Issuer, List<string>? Audiences, Dictionary<string, string>? Claims, string? Robot,
    TimeSpan? MaxTokenLifetime, bool AllowRefresh = false)
{
    public TrustOptions ToOptions() => new()
    {
        Name = Name ?? "",
        Issuer = Issuer ?? "",
        Audiences = Audiences ?? [],
        Claims = Claims ?? [],
        Robot = Robot ?? "",
        MaxTokenLifetime = MaxTokenLifetime,
        AllowRefresh = AllowRefresh,
    };
}

/// <summary>"What would an ID token with these claims get?": its issuer, audience and claims, and the scopes to explain.</summary>
public sealed record IdTokenExplainRequest(
    string? Issuer, string? Audience, Dictionary<string, string>? Claims, string? Robot, string? Service, IReadOnlyCollection<string>? Scopes);

/// <summary>The trust it would meet (or why none), and then what the robot would be granted.</summary>
public sealed record IdTokenExplanation(TrustMatch Match, Explanation? Access);
