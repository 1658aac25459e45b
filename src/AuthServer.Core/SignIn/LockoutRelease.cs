namespace AuthServer.Core.SignIn;

/// <summary>
/// An administrator's unlock, written to the database so that every server process (the CLI runs
/// apart from the server, and there may be replicas) clears the lock from its memory.
/// </summary>
public sealed class LockoutRelease
{
    public long Id { get; set; }

    /// <summary>The counter key: <c>account:NAME</c> or <c>address:ADDRESS</c>.</summary>
    public required string Key { get; set; }

    public DateTime CreatedAt { get; set; }
}
