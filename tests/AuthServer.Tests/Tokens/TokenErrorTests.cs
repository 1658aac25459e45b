using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Tokens;

/// <summary>Every bad input gets a clear error and the right status, in the registry's error JSON.</summary>
public class TokenErrorTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly HttpClient _http = server.Http;

    private static void AssertBadRequest(TokenClient.Answer answer, string mentions)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("INVALID_REQUEST", answer.ErrorCode);
        Assert.Contains(mentions, answer.ErrorMessage);
    }

    [Fact]
    public async Task Wrong_password_is_401_with_a_basic_challenge_and_registry_error_json()
    {
        var answer = await _http.GetTokenAsync($"service={Service}", Basic(AdminName, "wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        var challenge = Assert.Single(answer.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
        Assert.Contains("realm=\"Test Realm\"", challenge.Parameter);
        Assert.Equal("UNAUTHORIZED", answer.ErrorCode);
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_identical_answers()
    {
        var unknown = await _http.GetTokenAsync($"service={Service}", Basic("nobody-at-all", "whatever"));
        var wrong = await _http.GetTokenAsync($"service={Service}", Basic(AdminName, "whatever"));
        Assert.Equal(unknown.Status, wrong.Status);
        Assert.Equal(unknown.Text, wrong.Text);
    }

    [Fact]
    public async Task Unknown_service_is_400_naming_it()
    {
        AssertBadRequest(await _http.GetTokenAsync("service=elsewhere", Basic(AdminName, AdminPassword)), "'elsewhere'");
    }

    [Fact]
    public async Task Missing_service_is_400()
    {
        AssertBadRequest(await _http.GetTokenAsync("scope=repository:a:pull", Basic(AdminName, AdminPassword)), "service");
    }

    [Theory]
    [InlineData("repository:a:pull:extra:colons:x")]
    [InlineData("repository")]
    [InlineData("repository:UPPER:pull")]
    [InlineData("repository:a:pu$h")]
    public async Task Malformed_scope_is_400(string scope)
    {
        AssertBadRequest(await _http.GetTokenAsync($"service={Service}&scope={Uri.EscapeDataString(scope)}", Basic(AdminName, AdminPassword)), "scope");
    }

    [Fact]
    public async Task Account_different_from_the_basic_user_is_400()
    {
        AssertBadRequest(await _http.GetTokenAsync($"service={Service}&account=someoneelse", Basic(AdminName, AdminPassword)), "account");
    }

    [Fact]
    public async Task Bad_base64_in_basic_credentials_is_400()
    {
        var answer = await _http.GetTokenAsync($"service={Service}", new AuthenticationHeaderValue("Basic", "!!!not-base64!!!"));
        AssertBadRequest(answer, "base64");
    }

    [Fact]
    public async Task Basic_credentials_without_a_colon_are_400()
    {
        var answer = await _http.GetTokenAsync($"service={Service}", new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("justauser"))));
        AssertBadRequest(answer, "user:password");
    }

    [Fact]
    public async Task Another_authorization_scheme_is_400()
    {
        AssertBadRequest(await _http.GetTokenAsync($"service={Service}", new AuthenticationHeaderValue("Bearer", "abc")), "Basic");
    }

    [Fact]
    public async Task Oversized_values_are_400()
    {
        AssertBadRequest(await _http.GetTokenAsync($"service={new string('s', 300)}"), "service");
        var longUser = Basic(new string('u', 300), "pw");
        AssertBadRequest(await _http.GetTokenAsync($"service={Service}", longUser), "too long");
        var answer = await _http.PostTokenAsync(("grant_type", "password"), ("username", "u"), ("password", new string('p', 2000)), ("service", Service));
        AssertBadRequest(answer, "password");
    }

    [Fact]
    public async Task Too_many_scopes_are_400()
    {
        var query = string.Join("&", Enumerable.Range(0, 70).Select(i => $"scope=repository:r{i}:pull"));
        AssertBadRequest(await _http.GetTokenAsync($"service={Service}&{query}"), "too many");
    }

    [Fact]
    public async Task Parameters_given_twice_are_400()
    {
        AssertBadRequest(await _http.GetTokenAsync($"service={Service}&service={ShortService}"), "more than once");
    }

    [Fact]
    public async Task Offline_token_must_be_a_boolean()
    {
        AssertBadRequest(await _http.GetTokenAsync($"service={Service}&offline_token=maybe"), "offline_token");
    }

    [Fact]
    public async Task Post_without_grant_type_is_400()
    {
        AssertBadRequest(await _http.PostTokenAsync(("service", Service), ("username", "a"), ("password", "b")), "grant_type");
    }

    [Fact]
    public async Task Post_with_an_unsupported_grant_type_is_400()
    {
        AssertBadRequest(await _http.PostTokenAsync(("grant_type", "authorization_code"), ("service", Service)), "unsupported grant_type");
    }

    [Fact]
    public async Task Post_password_grant_without_fields_is_400()
    {
        AssertBadRequest(await _http.PostTokenAsync(("grant_type", "password"), ("service", Service), ("password", "x")), "username");
        AssertBadRequest(await _http.PostTokenAsync(("grant_type", "password"), ("service", Service), ("username", "x")), "password");
        AssertBadRequest(await _http.PostTokenAsync(("grant_type", "refresh_token"), ("service", Service)), "refresh_token");
    }

    [Fact]
    public async Task Post_with_a_bad_access_type_is_400()
    {
        AssertBadRequest(await _http.PostTokenAsync(("grant_type", "password"), ("service", Service), ("username", "a"), ("password", "b"), ("access_type", "forever")), "access_type");
    }

    [Fact]
    public async Task Post_that_is_not_a_form_is_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token") { Content = new StringContent("{\"grant_type\":\"password\"}", Encoding.UTF8, "application/json") };
        AssertBadRequest(await _http.SendForAnswerAsync(request), "x-www-form-urlencoded");
    }

    [Fact]
    public async Task Post_body_that_is_too_large_is_400_not_500()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new StringContent("grant_type=password&junk=" + new string('x', 200_000), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        var answer = await _http.SendForAnswerAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    [Fact]
    public async Task Post_form_with_broken_percent_encoding_is_not_a_500()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new StringContent("grant_type=password&username=%zz&password=%&service=" + Service, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        var answer = await _http.SendForAnswerAsync(request);
        Assert.True((int)answer.Status is 400 or 401, $"status {answer.Status}");
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Other_methods_are_405_with_allow_header(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/token?service={Service}");
        var answer = await _http.SendForAnswerAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
        Assert.Equal("UNSUPPORTED", answer.ErrorCode);
    }
}
