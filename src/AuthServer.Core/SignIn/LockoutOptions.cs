using System.ComponentModel.DataAnnotations;

namespace AuthServer.Core.SignIn;

/// <summary>
/// Password-guessing defence (docs/security.md, "Password guessing"): leaky buckets of failures per
/// account and source, per source, and per account from unfamiliar sources.
/// </summary>
public sealed class LockoutOptions
{
    public const string Section = "AuthServer:Lockout";

    public bool Enabled { get; set; } = true;

    /// <summary>Wrong passwords for one account from one source (an IPv4 address or IPv6 /64) before that pair is slowed.</summary>
    [Range(1, 1000)]
    public int AccountThreshold { get; set; } = 5;

    /// <summary>Once slowed, one more password for that account from that source per this long.</summary>
    public TimeSpan AccountLeak { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Failed sign-ins of any kind from one source, outside its familiar accounts, before its password guesses are refused.</summary>
    [Range(1, 100_000)]
    public int AddressThreshold { get; set; } = 30;

    /// <summary>Once refused, one more password guess from that source per this long.</summary>
    public TimeSpan AddressLeak { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wrong passwords for one account from all its unfamiliar sources together before they are slowed (a guessing run spread over many addresses).</summary>
    [Range(1, 100_000)]
    public int UnfamiliarThreshold { get; set; } = 10;

    /// <summary>Once slowed, one more password for that account from any unfamiliar source per this long.</summary>
    public TimeSpan UnfamiliarLeak { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A source the account signed in from with its password within this long is familiar: it keeps its own count.</summary>
    public TimeSpan FamiliarFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Bounds the memory a spray of made-up names or addresses can take.</summary>
    [Range(1000, 10_000_000)]
    public int MaxTrackedKeys { get; set; } = 100_000;
}
