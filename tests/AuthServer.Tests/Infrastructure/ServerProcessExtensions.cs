using System.Net;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Infrastructure;

/// <summary>The fixture helpers for a server run as its own process (<see cref="ServerProcess"/>), through its admin API.</summary>
public static class ServerProcessExtensions
{
    /// <summary>A client of the admin API signed in as the bootstrap administrator.</summary>
    public static HttpClient AdminClient(this ServerProcess server) =>
        new() { BaseAddress = server.BaseAddress, DefaultRequestHeaders = { Authorization = Basic(AdminName, AdminPassword) } };

    public static async Task<(string Name, string Password)> NewUserAsync(this ServerProcess server, string prefix)
    {
        var name = FixtureExtensions.UniqueName(prefix);
        var password = $"pw-{Guid.NewGuid():N}";
        using var admin = server.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.ApiPostAsync("/api/v1/users", new { name, password })).Status);
        return (name, password);
    }
}
