using System.ComponentModel.DataAnnotations;

namespace AuthServer.Core.Identity;

public sealed class PasswordOptions
{
    public const string Section = "AuthServer:Passwords";
    public const int MaximumLength = 1024;

    /// <summary>bcrypt cost: each step doubles the work. 4 is bcrypt's minimum, 31 its maximum.</summary>
    [Range(4, 31)]
    public int WorkFactor { get; set; } = 11;

    [Range(1, 128)]
    public int MinimumLength { get; set; } = 8;

    /// <summary>bcrypt hashes computed at once; 0 means one per processor core. More cannot finish sooner, only starve everything else.</summary>
    [Range(0, 1024)]
    public int HashingConcurrency { get; set; }

    /// <summary>Hashes that may wait for a free worker; past this a sign-in is answered 503 at once instead of queuing for seconds.</summary>
    [Range(1, 100_000)]
    public int HashingQueueLimit { get; set; } = 64;

    /// <summary>Places in the hashing queue one client source (IPv4 address, IPv6 /64) may hold at once; more is answered 503 and counted against it.</summary>
    [Range(1, 100_000)]
    public int HashingPerSource { get; set; } = 16;

    /// <summary>How fast a source's hashing demand is forgotten: it halves every this long. Quieter sources are served first; 0 serves first come first served.</summary>
    public TimeSpan HashingDemandHalfLife { get; set; } = TimeSpan.FromSeconds(10);
}
