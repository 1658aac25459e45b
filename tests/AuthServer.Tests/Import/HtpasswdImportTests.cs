using System.Net;
using System.Text.Json;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Import;

/// <summary>
/// <c>authserver import htpasswd</c> against a running server's database, with files made by the
/// real htpasswd (Debian apache2-utils): users sign in with the passwords they had.
/// </summary>
public sealed class HtpasswdImportTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>, IDisposable
{
    private readonly string _dir = TempDirectory.Create("htpasswd-import");

    public void Dispose() => TempDirectory.Delete(_dir);

    private Task<CliProcess.Result> Run(params string[] args) => InProcessCli.RunAsync(server.DataDirectory, null, args);

    private async Task<string> HtpasswdAsync(string flag, string user, string password)
    {
        var htpasswd = ExternalTool.Require("htpasswd", "apache2-utils");
        var result = await ExternalTool.RunAsync(htpasswd, _dir, TimeSpan.FromSeconds(30), "-nb" + flag, user, password);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Output.Trim();
    }

    /// <summary>Two bcrypt users, an MD5-crypt and a SHA-1 one, and lines this server refuses.</summary>
    private async Task<(string File, string Alice, string Bob)> FileAsync()
    {
        var alice = FixtureExtensions.UniqueName("alice");
        var bob = FixtureExtensions.UniqueName("bob");
        var lines = new[]
        {
            "# made with htpasswd -B",
            await HtpasswdAsync("B", alice, "alice-password"),
            await HtpasswdAsync("B", bob, "bob-password"),
            "",
            await HtpasswdAsync("m", FixtureExtensions.UniqueName("md5user"), "md5-password"),
            await HtpasswdAsync("s", FixtureExtensions.UniqueName("shauser"), "sha-password"),
            "no-colon-here",
            (await HtpasswdAsync("B", "x", "p")).Replace("x:", "-dash:", StringComparison.Ordinal),
            (await HtpasswdAsync("B", "x", "p")).Replace("x:", alice.ToUpperInvariant() + ":", StringComparison.Ordinal),
        };
        var file = Path.Combine(_dir, FixtureExtensions.UniqueName("users") + ".htpasswd");
        await File.WriteAllLinesAsync(file, lines);
        return (file, alice, bob);
    }

    [Fact]
    public async Task Users_sign_in_with_their_htpasswd_passwords_and_the_rest_is_reported_line_by_line()
    {
        var (file, alice, bob) = await FileAsync();
        var dry = await Run("import", "htpasswd", file, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Error);
        var real = await Run("import", "htpasswd", file);
        Assert.True(real.ExitCode == 0, real.Error);

        // The dry run says word for word what the real run does; only the closing line differs.
        var dryLines = dry.Output.Trim().Split('\n');
        var realLines = real.Output.Trim().Split('\n');
        Assert.Equal(dryLines[..^1], realLines[..^1]);
        Assert.StartsWith("dry run, nothing written: 2 users created", dryLines[^1]);
        Assert.Equal("imported: 2 users created, 2 skipped (other hash schemes), 3 refused", realLines[^1]);
        Assert.Contains($"create user {alice} (bcrypt, cost 5)", realLines);
        Assert.Contains(realLines, l => l.StartsWith("skipped: user md5user", StringComparison.Ordinal) && l.Contains("MD5-crypt ($apr1$) hash; only bcrypt (htpasswd -B)", StringComparison.Ordinal));
        Assert.Contains(realLines, l => l.StartsWith("skipped: user shauser", StringComparison.Ordinal) && l.Contains("SHA-1 ({SHA})", StringComparison.Ordinal));
        Assert.Contains("refused: line 7: not name:hash", realLines);
        Assert.Contains(realLines, l => l.StartsWith("refused: line 8: user name '-dash' may hold only", StringComparison.Ordinal));
        Assert.Contains($"refused: line 9: user {alice.ToUpperInvariant()} is already on line 2 (names are compared without case here)", realLines);

        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(alice, "alice-password"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(bob, "bob-password"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetTokenAsync($"service={Service}", Basic(bob, "alice-password"))).Status);

        // Audited: each user created, and the import itself with its counts.
        var events = await server.AuditEventsAsync(q => q.Where(e => e.Type == AuditEventTypes.Import || (e.Type == AuditEventTypes.UserCreate && e.Subject == alice)));
        Assert.Single(events, e => e.Type == AuditEventTypes.UserCreate && e.Actor!.StartsWith("cli:", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == AuditEventTypes.Import && e.Details!.Contains("\"usersCreated\":2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dry_run_writes_nothing()
    {
        var (file, alice, _) = await FileAsync();
        Assert.Equal(0, (await Run("import", "htpasswd", file, "--dry-run", "--group", "imported-dry")).ExitCode);
        var users = await server.WithServiceAsync(sp => sp.GetRequiredService<AuthServerDbContext>().Users.CountAsync(u => u.Name == alice));
        Assert.Equal(0, users);
        Assert.Equal(0, await server.WithServiceAsync(sp => sp.GetRequiredService<AuthServerDbContext>().Groups.CountAsync(g => g.Name == "imported-dry")));
        Assert.Empty(await server.AuditEventsAsync(q => q.Where(e => e.Subject == alice)));
    }

    [Fact]
    public async Task Existing_users_are_kept_unless_update_and_group_collects_everyone()
    {
        var (existing, password) = await server.NewUserAsync("kept");
        var line = await HtpasswdAsync("B", existing, "replaced-password");
        var newcomer = FixtureExtensions.UniqueName("newcomer");
        var file = Path.Combine(_dir, "update.htpasswd");
        await File.WriteAllLinesAsync(file, [line, await HtpasswdAsync("B", newcomer, "newcomer-password")]);

        var kept = await Run("import", "htpasswd", file, "--group", "migrated", "--json");
        Assert.True(kept.ExitCode == 0, kept.Error);
        var json = JsonDocument.Parse(kept.Output).RootElement;
        Assert.Equal(1, json.GetProperty("summary").GetProperty("usersCreated").GetInt32());
        Assert.Equal(1, json.GetProperty("summary").GetProperty("usersKept").GetInt32());
        Assert.Contains(json.GetProperty("actions").EnumerateArray(), a => a.GetProperty("kind").GetString() == "keep-user"
            && a.GetProperty("text").GetString() == $"keep user {existing}: already here (--update replaces its password hash)");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(existing, password))).Status);

        var members = await server.WithServiceAsync(sp => sp.GetRequiredService<GroupService>().MembersAsync("migrated", CancellationToken.None));
        Assert.Equal([existing, newcomer], members.Order(StringComparer.Ordinal));

        var updated = await Run("import", "htpasswd", file, "--update");
        Assert.True(updated.ExitCode == 0, updated.Error);
        Assert.Contains($"replace the password hash of user {existing} (bcrypt, cost 5)", updated.Output);
        // What the server's revision check notices within a second, without the wait.
        server.Services.GetRequiredService<RevisionMonitor>().MarkStale();
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetTokenAsync($"service={Service}", Basic(existing, password))).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(existing, "replaced-password"))).Status);
    }

    [Fact]
    public async Task A_missing_file_and_a_bad_command_line_are_refused()
    {
        var missing = await Run("import", "htpasswd", Path.Combine(_dir, "nope"), "--json");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("not-found", JsonDocument.Parse(missing.Error).RootElement.GetProperty("kind").GetString());
        var empty = Path.Combine(_dir, "empty.htpasswd");
        await File.WriteAllTextAsync(empty, "");
        var badGroup = await Run("import", "htpasswd", empty, "--group", "no spaces");
        Assert.Equal(1, badGroup.ExitCode);
        Assert.StartsWith("error: group name 'no spaces' may hold only", badGroup.Error);
        Assert.Equal(2, (await Run("import", "htpasswd")).ExitCode);
        Assert.Equal(2, (await Run("import", "htpasswd", "a", "b")).ExitCode);
        Assert.Equal(2, (await Run("import", "passwd", "a")).ExitCode);
    }
}
