using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.Infrastructure;

public static class FixtureExtensions
{
    /// <summary>A new user with a unique name, so tests sharing a server never collide.</summary>
    public static async Task<(string Name, string Password)> NewUserAsync(this AuthServerFixture server, string prefix = "user", bool admin = false)
    {
        var name = $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 12, 64)];
        var password = $"pw-{Guid.NewGuid():N}";
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(name, password, admin, CancellationToken.None));
        return (name, password);
    }

    public static Task<AccessRule> AddRuleAsync(this AuthServerFixture server, RuleSpec spec) =>
        server.WithServiceAsync(sp => sp.GetRequiredService<RuleService>().CreateAsync(spec, CancellationToken.None));
}
