using System.Net;
using AuthServer.Core.SignIn.Sources;
using AuthServer.Tests.Infrastructure;
using AuthServer.Tests.WebConsole;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;
using static AuthServer.TestSupport.SlapdServer;

namespace AuthServer.Tests.Ldap;

/// <summary>The directory stopped mid-test: cached logins go on, the others wait (503), nobody is locked out.</summary>
public class LdapOutageTests(LdapFixture server) : IClassFixture<LdapFixture>
{
    private Task<TokenClient.Answer> LoginAsync(string user, string password) =>
        server.Http.GetTokenAsync($"service={Service}&account={user}", Basic(user, password));

    [Fact]
    public async Task Directory_down_cached_logins_keep_working_others_get_503_with_Retry_After_and_no_lockout_count()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("alice", PasswordOf("alice"))).Status);
        using var console = new ConsoleClient(server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await console.SignInAsync(AdminName, AdminPassword)).StatusCode);
        await server.Directory.StopAsync();
        try
        {
            // The warm path: no bind, no search.
            Assert.Equal(HttpStatusCode.OK, (await LoginAsync("alice", PasswordOf("alice"))).Status);

            var answers = new List<TokenClient.Answer>();
            for (var i = 0; i < 8; i++) answers.Add(await LoginAsync("grace", $"maybe-{i}"));
            Assert.All(answers, a =>
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status);
                Assert.Equal(TimeSpan.FromSeconds(7), a.Headers.RetryAfter?.Delta);
                Assert.Equal("UNAVAILABLE", a.ErrorCode);
                Assert.DoesNotContain("ldap", a.Text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("127.0.0.1", a.Text, StringComparison.Ordinal);
            });
            // The admin API's Basic sign-in waits the same way, never 401.
            using var admin = new HttpClient { BaseAddress = server.BaseAddress };
            admin.DefaultRequestHeaders.Authorization = Basic("grace", "maybe-admin");
            using var api = await admin.GetAsync("/api/v1/users");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
            Assert.NotNull(api.Headers.RetryAfter);
            Assert.DoesNotContain("ldap", await api.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

            var status = server.Services.GetServices<IIdentitySource>().Single(s => s.Name == "ldap").Health.Snapshot();
            Assert.False(status.Healthy);
            Assert.NotNull(status.LastErrorText);
            // The console's dashboard says so, with the back end's error for the operator.
            var dashboard = await (await console.GetAsync("/ui/admin")).Content.ReadAsStringAsync();
            Assert.Matches(@"<td>identity source 2: ldap</td><td><span class=""state bad"">unhealthy</span></td><td>[^<]*last error \d{4}-[^<]*: [^<]+</td>", dashboard);
        }
        finally
        {
            await server.Directory.StartAsync();
        }

        // Nine unanswered tries counted nothing: the right password signs in at once.
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("grace", PasswordOf("grace"))).Status);
        Assert.True(server.Services.GetServices<IIdentitySource>().Single(s => s.Name == "ldap").Health.Snapshot().Healthy);
    }
}
