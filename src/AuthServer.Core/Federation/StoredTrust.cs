using System.Text.Json;

namespace AuthServer.Core.Federation;

/// <summary>
/// A trust added at run time (admin API, CLI), kept in the database so every replica has it;
/// the trusts of <c>AuthServer:Federation:Trusts</c> stay beside them, read-only.
/// </summary>
public sealed class StoredTrust
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Lower-case name: a name is unique regardless of case, across settings and database.</summary>
    public required string NormalizedName { get; set; }

    public required string Issuer { get; set; }

    /// <summary>JSON array of the accepted audiences.</summary>
    public required string Audiences { get; set; }

    /// <summary>JSON object: claim name to value or glob.</summary>
    public required string Claims { get; set; }

    public required string Robot { get; set; }
    public long? MaxTokenLifetimeSeconds { get; set; }
    public bool AllowRefresh { get; set; }
    public DateTime CreatedAt { get; set; }

    public TrustOptions ToOptions() => new()
    {
        Name = Name,
        Issuer = Issuer,
        Audiences = JsonSerializer.Deserialize<List<string>>(Audiences) ?? [],
        Claims = JsonSerializer.Deserialize<Dictionary<string, string>>(Claims) ?? [],
        Robot = Robot,
        MaxTokenLifetime = MaxTokenLifetimeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        AllowRefresh = AllowRefresh,
    };

    public static StoredTrust From(TrustOptions trust, DateTime now) => new()
    {
        Name = trust.Name.Trim(),
        NormalizedName = Identity.Names.Normalize(trust.Name),
        Issuer = trust.Issuer,
        Audiences = JsonSerializer.Serialize(trust.Audiences),
        Claims = JsonSerializer.Serialize(trust.Claims),
        Robot = trust.Robot.Trim(),
        MaxTokenLifetimeSeconds = trust.MaxTokenLifetime is { } max ? (long)Math.Ceiling(max.TotalSeconds) : null,
        AllowRefresh = trust.AllowRefresh,
        CreatedAt = now,
    };
}
