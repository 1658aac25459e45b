using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Signing;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Audit;

/// <summary>Every token request leaves one event, whatever its outcome, with what was asked and what was given.</summary>
public abstract class TokenAuditTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _http = server.Http;

    private async Task<AuditEvent> OnlyEventAboutAsync(string subject)
    {
        var normalized = subject.ToLowerInvariant();
        return Assert.Single(await server.WaitForAuditAsync(
            q => q.Where(e => e.Subject == normalized && e.Type == AuditEventTypes.TokenRequest), e => e.Count > 0));
    }

    [Fact]
    public async Task A_fully_granted_request_records_subject_credential_scopes_client_and_agent()
    {
        var (user, password) = await server.NewUserAsync("ada");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={Service}&scope=repository:{user}/app:pull,push");
        request.Headers.Authorization = Basic(user, password);
        request.Headers.UserAgent.ParseAdd("docker/27.3.1");
        Assert.Equal(HttpStatusCode.OK, (await _http.SendForAnswerAsync(request)).Status);

        var e = await OnlyEventAboutAsync(user);
        Assert.Equal((AuditEventTypes.TokenRequest, AuditOutcome.Granted), (e.Type, e.Outcome));
        Assert.Equal(CredentialKind.Password, e.Credential);
        Assert.Equal(Service, e.Service);
        Assert.Equal($"repository:{user}/app:pull,push", e.RequestedScopes);
        Assert.Equal($"repository:{user}/app:pull,push", e.Granted);
        Assert.Null(e.GrantedScopes);
        Assert.Equal("127.0.0.1", e.ClientAddress);
        Assert.Equal("docker/27.3.1", e.UserAgent);
        Assert.Null(e.Reason);
    }

    [Fact]
    public async Task A_request_granted_less_than_asked_is_partial_and_shows_what_was_withheld()
    {
        var (user, password) = await server.NewUserAsync("bob");
        await _http.GetTokenAsync($"service={Service}&scope=repository:other/app:pull&scope=repository:{user}/app:pull", Basic(user, password));

        var e = await OnlyEventAboutAsync(user);
        Assert.Equal(AuditOutcome.Partial, e.Outcome);
        Assert.Equal($"repository:other/app: repository:{user}/app:pull", e.GrantedScopes);
    }

    [Fact]
    public async Task A_refused_login_records_the_reason_the_client_is_not_told()
    {
        var (user, _) = await server.NewUserAsync("cyd");
        await _http.GetTokenAsync($"service={Service}", Basic(user, "wrong-password"));

        var e = await OnlyEventAboutAsync(user);
        Assert.Equal((AuditOutcome.Unauthorized, "wrong password"), (e.Outcome, e.Reason));
        Assert.Null(e.GrantedScopes);
    }

    [Fact]
    public async Task A_malformed_request_is_recorded_as_invalid()
    {
        var (user, password) = await server.NewUserAsync("dee");
        await _http.GetTokenAsync($"service={Service}&scope=repository:UPPER:pull", Basic(user, password));
        await _http.GetTokenAsync($"service=nowhere&scope=repository:a:pull", Basic(user, password));

        var events = await server.WaitForAuditAsync(
            q => q.Where(e => e.Outcome == AuditOutcome.Invalid && (e.Reason!.Contains("UPPER") || e.Service == "nowhere")), e => e.Count >= 2);
        Assert.Contains(events, e => e.Reason!.Contains("bad resource name") && e.ClientAddress == "127.0.0.1");
        Assert.Contains(events, e => e.Reason == "unknown service" && e.Subject == user);
    }

    [Fact]
    public async Task Anonymous_robot_and_access_token_requests_record_their_credential()
    {
        var (robot, secret) = await server.NewRobotAsync();
        var (user, _) = await server.NewUserAsync("eli");
        var token = await server.NewAccessTokenAsync(user);
        await _http.GetTokenAsync($"service={Service}&scope=repository:anon-probe/x:pull");
        await _http.GetTokenAsync($"service={Service}", Basic(robot, secret));
        await _http.GetTokenAsync($"service={Service}", Basic(user, token));

        var anonymous = Assert.Single(await server.WaitForAuditAsync(q => q.Where(e => e.RequestedScopes == "repository:anon-probe/x:pull"), e => e.Count > 0));
        Assert.Equal((null, CredentialKind.None), (anonymous.Subject, anonymous.Credential));
        var byRobot = await OnlyEventAboutAsync(robot);
        Assert.Equal(CredentialKind.RobotSecret, byRobot.Credential);
        Assert.NotNull(byRobot.CredentialId);
        var byToken = await OnlyEventAboutAsync(user);
        Assert.Equal(CredentialKind.AccessToken, byToken.Credential);
        Assert.NotNull(byToken.CredentialId);
    }

    [Fact]
    public async Task A_server_failure_is_recorded_as_error_and_answered_without_details()
    {
        // A fresh server of its own: with no active signing key every token request fails.
        var broken = new AuthServerFixture();
        await broken.InitializeAsync();
        try
        {
            await broken.ChangeAsync<SigningKey>(_ => true, k =>
            {
                k.State = SigningKeyState.Retired;
                k.RetiredAt = DateTime.UtcNow.AddDays(-1);
            });

            var answer = await broken.Http.GetTokenAsync($"service={Service}", Basic(AdminName, AdminPassword));
            Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
            Assert.DoesNotContain("signing key", answer.Text);

            var e = Assert.Single(await broken.WaitForAuditAsync(q => q.Where(x => x.Type == AuditEventTypes.TokenRequest), x => x.Count > 0));
            Assert.Equal((AuditOutcome.Error, "internal error"), (e.Outcome, e.Reason));
        }
        finally
        {
            await broken.DisposeAsync();
        }
    }

    [Fact]
    public async Task Token_events_hold_no_secret()
    {
        var (user, password) = await server.NewUserAsync("fox");
        var login = await _http.GetTokenAsync($"service={Service}&offline_token=true&client_id=docker", Basic(user, password));
        await _http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", login.RefreshToken!), ("service", Service));
        await _http.GetTokenAsync($"service={Service}", Basic(user, "wrong-" + password));

        // The user's creation and three token requests.
        var events = await server.WaitForAuditAsync(user, 4);
        var stored = string.Join("\n", events.Select(e => e.Summary()));
        Assert.DoesNotContain(password, stored);
        Assert.DoesNotContain(login.RefreshToken!, stored);
        Assert.DoesNotContain(login.Body.GetProperty("token").GetString()!, stored);
        Assert.Contains(events, e => e.Credential == CredentialKind.RefreshToken && e.Outcome == AuditOutcome.Granted && e.CredentialId is not null);
    }
}

public sealed class TokenAuditTests(AuthServerFixture server) : TokenAuditTests<AuthServerFixture>(server);

public sealed class TokenAuditTestsOnPostgres(AuthServerOnPostgres server) : TokenAuditTests<AuthServerOnPostgres>(server);
