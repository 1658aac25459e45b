namespace AuthServer.Tests.Infrastructure;

/// <summary>The system clock moved by a fixed offset: a registry whose clock runs ahead or behind the token server's.</summary>
public sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
}
