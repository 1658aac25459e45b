using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Import;

/// <summary>
/// <c>authserver import docker-auth</c> against a running server's database: docker_auth's users
/// sign in with their passwords, and the token they get grants what docker_auth's ACL gave.
/// </summary>
public sealed class DockerAuthImportTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>, IDisposable
{
    private readonly string _dir = TempDirectory.Create("docker-auth-import");

    public void Dispose() => TempDirectory.Delete(_dir);

    private Task<CliProcess.Result> Run(params string[] args) => InProcessCli.RunAsync(server.DataDirectory, null, args);

    // docker_auth's reference.yml, its users renamed so they do not meet the fixture's admin:
    // da-admin's password is "badmin", da-test's "123" (both htpasswd -B hashes from docker_auth's examples).
    private const string Config = """
        server:
          addr: ":5001"
        token:
          issuer: "Acme auth server"
          expiration: 900
          certificate: "/path/to/server.pem"
          key: "/path/to/server.key"
        users:
          "da-admin":
            password: "$2y$05$LO.vzwpWC5LZGqThvEfznu8qhb5SGqvBSWY1J3yZ4AxtMRZ3kN5jC"
          "da-test":
            password: "$2y$05$WuwBasGDAgr.QCbGIjKJaep4dhxeai9gNZdmBnQXqpKly57oNutya"
            labels:
              group: [qa]
          "da-nopass": {}
          "": {}
        acl:
          - match: {ip: "127.0.0.0/8"}
            actions: ["*"]
            comment: "Allow everything from localhost (IPv4)"
          - match: {account: "da-admin"}
            actions: ["*"]
          - match: {account: "da-test", name: "test-*"}
            actions: ["*"]
          - match: {account: "da-test"}
            actions: []
          - match: {account: "/.+/"}
            actions: ["pull"]
          - match: {account: "", name: "hello-world"}
            actions: ["pull"]
        """;

    [Fact]
    public async Task Users_sign_in_with_docker_auth_passwords_and_get_what_its_acl_gave()
    {
        var file = Path.Combine(_dir, "auth_config.yml");
        await File.WriteAllTextAsync(file, Config);
        // The fixture's first start made the rule that gives each user their namespace; docker_auth had none.
        var before = await Run("rule", "list", "--json");
        var ownNamespace = JsonDocument.Parse(before.Output).RootElement.EnumerateArray().Single(r => r.GetProperty("pattern").GetString() == "${user}/**");
        var ruleId = ownNamespace.GetProperty("id").GetInt64();

        var dry = await Run("import", "docker-auth", file, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Error);
        var real = await Run("import", "docker-auth", file);
        Assert.True(real.ExitCode == 0, real.Error);
        Assert.Equal(dry.Output.Trim().Split('\n')[..^1], real.Output.Trim().Split('\n')[..^1]);

        var lines = real.Output.Trim().Split('\n');
        Assert.Contains("create user da-admin (bcrypt, cost 5)", lines);
        Assert.Contains("create group qa", lines);
        Assert.Contains("add user da-test to group qa", lines);
        Assert.Contains(lines, l => l.StartsWith("create rule allow user:da-test repository test-* * (docker_auth acl entry 3)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("create rule allow anonymous repository hello-world pull", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("difference: acl entry 1: matches on the client address (ip: 127.0.0.0/8)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("skipped: user da-nopass: no password in docker_auth", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"difference: rule {ruleId} (allow authenticated repository ${{user}}/** delete,pull,push) was here before the import", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("note: token.certificate and token.key sign docker_auth's tokens: 'authserver keys import --cert /path/to/server.pem --key /path/to/server.key'", StringComparison.Ordinal));
        Assert.StartsWith("imported: 2 users created, 1 skipped (other hash schemes), 1 groups created", lines[^1]);

        Assert.Equal(0, (await Run("rule", "delete", ruleId.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        server.Services.GetRequiredService<AuthServer.Core.Data.RevisionMonitor>().MarkStale();

        async Task<string[]> Granted(string? user, string password, string scope)
        {
            var answer = await server.Http.GetTokenAsync($"service={Service}&scope={scope}", user is null ? null : Basic(user, password));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            var parts = scope.Split(':');
            return answer.Token.ActionsFor(parts[0], parts[1]);
        }

        Assert.Equal(["delete", "pull", "push"], await Granted("da-admin", "badmin", "repository:anything/at-all:pull,push,delete"));
        Assert.Equal(["pull", "push"], await Granted("da-test", "123", "repository:test-app:pull,push"));
        Assert.Empty(await Granted("da-test", "123", "repository:hello-world:pull"));
        Assert.Empty(await Granted("da-test", "123", "repository:library/alpine:pull"));
        Assert.Equal(["pull"], await Granted(null, "", "repository:hello-world:pull"));
        Assert.Empty(await Granted(null, "", "repository:library/alpine:pull"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetTokenAsync($"service={Service}", Basic("da-test", "1234"))).Status);
    }

    [Fact]
    public async Task A_file_that_is_not_a_docker_auth_config_is_refused()
    {
        var file = Path.Combine(_dir, "broken.yml");
        await File.WriteAllTextAsync(file, "users: [unclosed");
        var result = await Run("import", "docker-auth", file, "--json");
        Assert.Equal(1, result.ExitCode);
        var error = JsonDocument.Parse(result.Error).RootElement;
        Assert.Equal("invalid", error.GetProperty("kind").GetString());
        Assert.StartsWith("not a docker_auth configuration (line 1", error.GetProperty("error").GetString());
    }
}
