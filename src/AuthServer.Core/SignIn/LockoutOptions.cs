using System.ComponentModel.DataAnnotations;

namespace AuthServer.Core.SignIn;

/// <summary>Password-guessing defence: failures counted per account and per client address.</summary>
public sealed class LockoutOptions
{
    public const string Section = "AuthServer:Lockout";

    public bool Enabled { get; set; } = true;

    /// <summary>Failed passwords for one account before it is locked.</summary>
    [Range(1, 1000)]
    public int AccountThreshold { get; set; } = 5;

    /// <summary>Failed sign-ins of any kind from one address (an IPv6 /64) before it is locked; higher, for offices behind one NAT.</summary>
    [Range(1, 100_000)]
    public int AddressThreshold { get; set; } = 30;

    /// <summary>The first lock; each further failure after a lock doubles it.</summary>
    public TimeSpan BaseLockout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest lock, however many failures.</summary>
    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures are forgotten after this long without a new one.</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Bounds the memory a spray of made-up names can take.</summary>
    [Range(1000, 10_000_000)]
    public int MaxTrackedKeys { get; set; } = 100_000;
}
