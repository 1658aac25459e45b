using AuthServer.Admin;
using AuthServer.Core.Signing;
using Microsoft.Extensions.Options;

namespace AuthServer.WebConsole;

/// <summary>The registry address people are told to <c>docker login</c> to.</summary>
public sealed class ConsoleRegistry(IOptions<ConsoleOptions> console, IOptions<TokenOptions> tokens, IOptions<AdminOptions> admin)
{
    public string Address =>
        console.Value.RegistryAddress is { Length: > 0 } configured ? configured
        : tokens.Value.Services.Select(s => s.Name).FirstOrDefault(n => n != admin.Value.Audience) ?? "registry.example.com";

    /// <summary>The services a person may ask about: every registry, not the admin API's audience.</summary>
    public IReadOnlyList<string> Services => tokens.Value.Services.Select(s => s.Name).Where(n => n != admin.Value.Audience).ToArray();
}
