using System.ComponentModel.DataAnnotations;

namespace AuthServer.WebConsole;

/// <summary>The web console at <c>/ui</c>: on by default, off with <c>AuthServer:Console:Enabled=false</c>.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "AuthServer:Console";

    public bool Enabled { get; set; } = true;

    /// <summary>A console session ends after this long without a request.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A console session ends this long after sign-in, however busy.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// The registry address shown in the <c>docker login</c> command beside a new access token;
    /// unset: the first configured service's name (services are usually named after their registry).
    /// </summary>
    [MaxLength(255)]
    public string? RegistryAddress { get; set; }
}
