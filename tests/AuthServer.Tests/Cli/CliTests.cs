using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Cli;

/// <summary>The administrative commands, run in process as the executable runs them, against a real SQLite file made by `migrate`.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private readonly string _data = TempDirectory.Create("authserver-cli");

    public async Task InitializeAsync() => Assert.Equal(0, (await Run("migrate")).ExitCode);

    public Task DisposeAsync()
    {
        TempDirectory.Delete(_data);
        return Task.CompletedTask;
    }

    private Task<CliProcess.Result> Run(params string[] args) => InProcessCli.RunAsync(_data, null, args);

    private static JsonElement Json(CliProcess.Result result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        return JsonDocument.Parse(result.Output).RootElement;
    }

    [Fact]
    public async Task User_add_list_passwd_disable_delete()
    {
        var added = await InProcessCli.RunAsync(_data, "first-password", "user", "add", "Alice", "--password-stdin");
        Assert.Equal(0, added.ExitCode);
        Assert.Contains("created user Alice", added.Output);

        var listed = Json(await Run("user", "list", "--json"));
        var alice = listed.EnumerateArray().Single(u => u.GetProperty("name").GetString() == "Alice");
        Assert.False(alice.GetProperty("admin").GetBoolean());

        var table = await Run("user", "list");
        Assert.Matches(@"NAME\s+SOURCE\s+ADMIN\s+DISABLED\s+CREATED", table.Output);
        Assert.Contains("Alice", table.Output);

        var passwd = await Run("user", "passwd", "alice");
        Assert.Equal(0, passwd.ExitCode);
        Assert.Contains("password of alice changed to: ", passwd.Output);

        Assert.Equal(0, (await Run("user", "disable", "ALICE")).ExitCode);
        Assert.True(Json(await Run("user", "list", "--json")).EnumerateArray()
            .Single(u => u.GetProperty("name").GetString() == "Alice").GetProperty("disabled").GetBoolean());

        Assert.Equal(0, (await Run("user", "delete", "alice")).ExitCode);
        Assert.DoesNotContain(Json(await Run("user", "list", "--json")).EnumerateArray(), u => u.GetProperty("name").GetString() == "Alice");
    }

    [Fact]
    public async Task Errors_are_one_line_with_a_non_zero_exit()
    {
        await Run("user", "add", "bob", "--password", "long-enough-1");
        var duplicate = await Run("user", "add", "BOB", "--password", "long-enough-1");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Equal("error: user 'BOB' already exists", duplicate.Error.Trim());

        var shortPassword = await Run("user", "add", "carl", "--password", "short");
        Assert.Equal(1, shortPassword.ExitCode);
        Assert.Contains("at least 8 characters", shortPassword.Error);

        var missing = await Run("user", "delete", "nobody");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("error: user 'nobody' does not exist", missing.Error.Trim());

        var badRule = await Run("rule", "add", "--subject", "user:nobody", "--pattern", "x/**", "--actions", "pull");
        Assert.Equal(1, badRule.ExitCode);
        Assert.Single(badRule.Error.Trim().Split('\n'));

        Assert.Equal(2, (await Run("frobnicate")).ExitCode);
    }

    [Fact]
    public async Task Groups_and_members()
    {
        await Run("user", "add", "dana", "--password", "long-enough-1");
        Assert.Equal(0, (await Run("group", "add", "devs", "--description", "developers")).ExitCode);
        Assert.Equal(0, (await Run("group", "add-member", "devs", "dana")).ExitCode);

        var group = Json(await Run("group", "list", "--json")).EnumerateArray().Single();
        Assert.Equal("devs", group.GetProperty("name").GetString());
        Assert.Equal(["dana"], group.GetProperty("members").EnumerateArray().Select(m => m.GetString()));

        Assert.Equal(1, (await Run("group", "add-member", "devs", "dana")).ExitCode);
        Assert.Equal(0, (await Run("group", "remove-member", "devs", "dana")).ExitCode);
        Assert.Equal(0, (await Run("group", "delete", "devs")).ExitCode);
        Assert.Empty(Json(await Run("group", "list", "--json")).EnumerateArray());
    }

    [Fact]
    public async Task Rules_add_list_delete_with_the_seeded_rule_first()
    {
        var rules = Json(await Run("rule", "list", "--json")).EnumerateArray().ToList();
        var seeded = Assert.Single(rules);
        Assert.Equal("authenticated", seeded.GetProperty("subject").GetString());
        Assert.Equal("${user}/**", seeded.GetProperty("pattern").GetString());
        Assert.Equal(["delete", "pull", "push"], seeded.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));

        await Run("group", "add", "ops");
        var added = Json(await Run("rule", "add", "--subject", "group:ops", "--pattern", "prod/**", "--actions", "push", "--deny", "--json"));
        Assert.Equal("deny", added.GetProperty("effect").GetString());
        var id = added.GetProperty("id").GetInt64();

        Assert.Equal(2, Json(await Run("rule", "list", "--json")).GetArrayLength());
        Assert.Equal(0, (await Run("rule", "delete", id.ToString())).ExitCode);
        Assert.Equal(1, Json(await Run("rule", "list", "--json")).GetArrayLength());
    }

    [Fact]
    public async Task Keys_export_writes_a_bundle_and_a_jwks_with_the_same_kid()
    {
        var key = Json(await Run("keys", "list", "--json")).EnumerateArray().Single();
        Assert.Equal("active", key.GetProperty("state").GetString());
        var kid = key.GetProperty("kid").GetString()!;

        var bundle = Path.Combine(_data, "bundle.pem");
        var jwks = Path.Combine(_data, "jwks.json");
        Assert.Equal(0, (await Run("keys", "export", "--bundle", bundle, "--jwks", jwks)).ExitCode);

        var pem = await File.ReadAllTextAsync(bundle);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem);
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        Assert.Equal(kid, AuthServer.Core.Signing.LibtrustKeyId.FromKey(certificate.GetECDsaPublicKey()!));
        var jwksKey = JsonDocument.Parse(await File.ReadAllTextAsync(jwks)).RootElement.GetProperty("keys")[0];
        Assert.Equal(kid, jwksKey.GetProperty("kid").GetString());

        Assert.NotEqual(0, (await Run("keys", "export")).ExitCode);
    }

    [Fact]
    public async Task Key_rotation_puts_both_keys_in_the_bundle_then_activates_the_next()
    {
        var next = Json(await Run("keys", "add", "--algorithm", "RS256", "--json"));
        Assert.Equal("next", next.GetProperty("state").GetString());
        var bundle = Path.Combine(_data, "bundle.pem");
        await Run("keys", "export", "--bundle", bundle);
        Assert.Equal(2, (await File.ReadAllTextAsync(bundle)).Split("BEGIN CERTIFICATE").Length - 1);

        Assert.Equal(0, (await Run("keys", "activate", next.GetProperty("kid").GetString()!)).ExitCode);
        var keys = Json(await Run("keys", "list", "--json")).EnumerateArray().ToList();
        Assert.Equal(["retired", "active"], keys.Select(k => k.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Migrate_creates_the_database_readable_by_this_account_only()
    {
        var data = Path.Combine(_data, "fresh");
        var result = await InProcessCli.RunAsync(data, null, "migrate");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "authserver.db")));
    }
}
