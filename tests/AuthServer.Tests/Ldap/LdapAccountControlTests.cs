using System.Net;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Ldap;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;
using static AuthServer.TestSupport.SlapdServer;

namespace AuthServer.Tests.Ldap;

/// <summary>
/// Active Directory's disabled flag, read from real entries: slapd carries userAccountControl
/// (AD's own attribute type and OID, loaded as a small schema), kim enabled (0x200) and ken
/// disabled (0x202). Unlike AD, slapd still accepts a disabled account's bind, so the refusal
/// seen here is AuthServer's own reading of the flag, at sign-in and at the refresh.
/// </summary>
public class LdapAccountControlTests(LdapFixture server) : IClassFixture<LdapFixture>
{
    // ACCOUNTDISABLE together with other flags AD sets (DONT_EXPIRE_PASSWORD 0x10000, NORMAL_ACCOUNT 0x200).
    private const int DisabledWithOtherFlags = 0x10202;
    private const int EnabledWithOtherFlags = 0x10200;

    private Task<TokenClient.Answer> LoginAsync(string user) =>
        server.Http.GetTokenAsync($"service={Service}&account={user}", Basic(user, PasswordOf(user)));

    private Task<User?> UserAsync(string name) => server.WithServiceAsync(sp =>
        sp.GetRequiredService<AuthServerDbContext>().Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedName == name));

    private Task SetAccountControlAsync(string user, int flags) =>
        server.Directory.ModifyAsync($"dn: {UserDnOf(user)}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: {flags}\n");

    [Fact]
    public async Task Account_disabled_by_userAccountControl_is_refused_with_the_right_password()
    {
        var answer = await LoginAsync("ken");
        var tested = await InProcessCli.RunAsync(server.DataDirectory, PasswordOf("ken"), ["ldap", "test", "ken", "--password-stdin", .. server.DirectoryArguments()]);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Null(await UserAsync("ken"));
        var events = await server.WaitForAuditAsync("ken");
        Assert.Contains(events, e => e.Reason == "disabled in the directory");
        Assert.Equal(1, tested.ExitCode);
        Assert.Contains("may sign in: no, disabled in the directory", tested.Output);
        Assert.Contains("password: accepted by the directory", tested.Output);
    }

    [Fact]
    public async Task Account_disabled_later_loses_access_at_the_refresh_and_comes_back_when_enabled()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("kim")).Status);

        await SetAccountControlAsync("kim", DisabledWithOtherFlags);
        var refresh = await server.Services.GetRequiredService<DirectoryRefresher>().RefreshAllAsync(CancellationToken.None);

        Assert.True(refresh.Complete, refresh.Error);
        Assert.True((await UserAsync("kim"))!.SourceDenied, $"refresh: {refresh}");
        // The password was cached before: the refusal ends that too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync("kim")).Status);
        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Subject == "kim" && e.Type == Core.Audit.AuditEventTypes.UserSourceDeny), e => e.Count > 0);
        Assert.Equal("disabled in the directory", Assert.Single(events).Reason);

        await SetAccountControlAsync("kim", EnabledWithOtherFlags);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("kim")).Status);
        Assert.False((await UserAsync("kim"))!.SourceDenied);
    }
}
