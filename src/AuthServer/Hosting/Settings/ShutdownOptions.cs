namespace AuthServer.Hosting;

/// <summary>How a stop (SIGTERM, Ctrl-C) goes: new connections refused, requests in flight finished, queued audit events and last-used times written.</summary>
public sealed class ShutdownOptions
{
    public const string Section = "AuthServer:Shutdown";

    /// <summary>How long the stop may take in all; what is left after it is lost (and said so in the log).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
