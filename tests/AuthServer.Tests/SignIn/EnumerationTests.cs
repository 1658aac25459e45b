using System.Net;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;
using static AuthServer.Tests.Infrastructure.FixtureExtensions;

namespace AuthServer.Tests.SignIn;

/// <summary>
/// Nothing in an answer, or in the work behind it, tells whether an account exists: every
/// refusal is the same 401 body, and an unknown user costs the same bcrypt verification.
/// </summary>
public class EnumerationTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private Task<TokenClient.Answer> LoginAsync(string user, string secret) =>
        server.Http.GetTokenAsync($"service={Service}", Basic(user, secret));

    private static void AssertSame(TokenClient.Answer expected, TokenClient.Answer actual)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, expected.Status);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Headers.WwwAuthenticate.ToString(), actual.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Unknown_user_wrong_password_and_disabled_user_get_identical_answers()
    {
        var (user, password) = await server.NewUserAsync("ann");
        var (disabled, disabledPassword) = await server.NewUserAsync("ben");
        await server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetDisabledAsync(disabled, true, CancellationToken.None));

        var wrong = await LoginAsync(user, "not-" + password);
        AssertSame(wrong, await LoginAsync(UniqueName("nobody"), "whatever-1"));
        AssertSame(wrong, await LoginAsync(disabled, disabledPassword));
    }

    [Fact]
    public async Task Unknown_user_costs_one_bcrypt_verification_like_a_known_one()
    {
        var (user, _) = await server.NewUserAsync("cat");
        var hasher = server.Services.GetRequiredService<PasswordHasher>();

        var before = hasher.Verifications;
        await LoginAsync(UniqueName("nobody"), "whatever-1");
        var unknownCost = hasher.Verifications - before;
        before = hasher.Verifications;
        await LoginAsync(user, "wrong-password");
        var knownCost = hasher.Verifications - before;

        Assert.Equal(1, unknownCost);
        Assert.Equal(knownCost, unknownCost);
    }

    [Fact]
    public async Task Known_and_unknown_robot_names_cost_the_same_work_and_no_bcrypt()
    {
        // A robot secret is checked by one SHA-256 and a fixed-time compare, against a stand-in
        // hash when the name is unknown (CredentialChecker.RobotAsync): the same work either way,
        // and never the password path's bcrypt, whose dummy would make unknown names slower.
        var (robot, _) = await server.NewRobotAsync();
        var hasher = server.Services.GetRequiredService<PasswordHasher>();
        var guesses = new[] { Secrets.Generate(Secrets.RobotSecretPrefix), "not-a-robot-secret-at-all" };

        var before = hasher.Verifications;
        foreach (var guess in guesses)
        {
            var known = await LoginAsync(robot, guess);
            var unknown = await LoginAsync("robot+" + UniqueName("none"), guess);
            AssertSame(known, unknown);
        }
        Assert.Equal(0, hasher.Verifications - before);
    }

    [Fact]
    public async Task Unknown_robot_wrong_secret_and_disabled_robot_get_identical_answers()
    {
        var (robot, secret) = await server.NewRobotAsync();
        var (disabled, disabledSecret) = await server.NewRobotAsync();
        await server.WithServiceAsync(sp => sp.GetRequiredService<RobotService>().SetDisabledAsync(disabled, true, CancellationToken.None));

        var wrong = await LoginAsync(robot, Secrets.Generate(Secrets.RobotSecretPrefix));
        AssertSame(wrong, await LoginAsync("robot+" + UniqueName("none"), secret));
        AssertSame(wrong, await LoginAsync(disabled, disabledSecret));
        AssertSame(wrong, await LoginAsync(UniqueName("nobody"), "wrong"));
    }

    [Fact]
    public async Task Unknown_revoked_and_foreign_access_tokens_get_identical_answers()
    {
        var (user, _) = await server.NewUserAsync("dan");
        var (other, _) = await server.NewUserAsync("eve");
        var revoked = await server.NewAccessTokenAsync(user, "old");
        await server.WithServiceAsync(sp => sp.GetRequiredService<AccessTokenService>().RevokeAsync(user, "old", CancellationToken.None));
        var foreign = await server.NewAccessTokenAsync(other);

        var unknown = await LoginAsync(user, Secrets.Generate(Secrets.AccessTokenPrefix));
        AssertSame(unknown, await LoginAsync(user, revoked));
        AssertSame(unknown, await LoginAsync(user, foreign));
        AssertSame(unknown, await LoginAsync(UniqueName("nobody"), Secrets.Generate(Secrets.AccessTokenPrefix)));
    }
}
