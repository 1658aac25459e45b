namespace AuthServer.Core.Audit;

/// <summary>
/// Who is making changes in this scope. The CLI sets <c>cli:OSUSER</c>; the admin API sets the
/// authenticated administrator; anything else (first-start bootstrap) is <c>system</c>. Domain
/// services read it, so they record the right actor whichever front end called them.
/// </summary>
public sealed class AuditActor
{
    public const string System = "system";

    public string Name { get; private set; } = System;

    /// <summary>The caller's network address, for changes made over HTTP.</summary>
    public string? Address { get; private set; }

    public void Set(string name, string? address = null)
    {
        Name = string.IsNullOrWhiteSpace(name) ? System : name;
        Address = address;
    }
}
