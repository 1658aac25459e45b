namespace AuthServer.Hosting;

/// <summary>The first administrator, created on the first start of an empty database.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "AuthServer:Bootstrap";

    public string AdminName { get; set; } = "admin";

    /// <summary>When unset, a random password is generated and printed once on the console.</summary>
    public string? AdminPassword { get; set; }
}
