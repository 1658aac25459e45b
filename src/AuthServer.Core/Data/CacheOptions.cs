using System.ComponentModel.DataAnnotations;

namespace AuthServer.Core.Data;

public sealed class CacheOptions
{
    public const string Section = "AuthServer:Cache";

    /// <summary>How long a process trusts its snapshots before asking the database whether
    /// another process changed rules, groups, keys or credentials.</summary>
    public TimeSpan RevisionCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a verified password spares bcrypt. Any change to the user ends it sooner.</summary>
    public TimeSpan PasswordLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Verified passwords kept at most (one per user and password in use).</summary>
    [Range(0, 10_000_000)]
    public int MaxPasswords { get; set; } = 10_000;

    /// <summary>User records kept at most, so a sign-in reads no database while nothing changed.</summary>
    [Range(0, 10_000_000)]
    public int MaxUsers { get; set; } = 10_000;

    /// <summary>Refresh sessions kept at most, so a refresh grant reads no database while nothing changed.</summary>
    [Range(0, 10_000_000)]
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>Robots, and access tokens, kept at most each, so a robot secret or token reads no database while nothing changed.</summary>
    [Range(0, 10_000_000)]
    public int MaxSecretCredentials { get; set; } = 10_000;
}
