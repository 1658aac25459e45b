namespace AuthServer.Core;

/// <summary>
/// A scoped service resolved on first use rather than when its consumer is built. The token
/// endpoint's warm path (cached user, cached password, snapshot policy) reads no database, and
/// building the services that might (a pooled <c>DbContext</c> leased and reset per request) cost
/// more than a tenth of a warm token request; only the paths that read the database pay for it now.
/// How it is resolved is the host's business (its container), not the domain's.
/// </summary>
public abstract class Deferred<T> where T : notnull
{
    public abstract T Value { get; }
}
