using System.ComponentModel.DataAnnotations;

namespace AuthServer.Hosting;

/// <summary>A token bucket per client address (IPv6: per /64) on /token.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "AuthServer:RateLimit";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests per second an address may keep up.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>Requests an address may make at once before the rate applies (a docker pull of many images at once).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;
}
