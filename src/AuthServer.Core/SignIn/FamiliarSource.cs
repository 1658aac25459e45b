using AuthServer.Core.Identity;

namespace AuthServer.Core.SignIn;

/// <summary>A source (IPv4 address or IPv6 /64) a user signed in from with their password, and when last.</summary>
public sealed class FamiliarSource
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public User? User { get; set; }

    /// <summary>The source key (<see cref="ClientAddress.Key"/>).</summary>
    public required string SourceKey { get; set; }

    public DateTime LastSignInAt { get; set; }
}
