using System.Text;
using AuthServer.Tokens;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.AspNetCore.Http;

namespace AuthServer.Tests.Properties;

/// <summary>The first stage of /token faces the network: whatever arrives becomes a request or a 400 with a reason, never an exception.</summary>
public class TokenRequestReaderProperties
{
    private static readonly Gen<string> QueryPart =
        from key in Gen.Elements("service", "scope", "account", "client_id", "offline_token", "x", "")
        from value in Gen.OneOf(Generators.Hostile, Generators.Scope, Gen.Constant("registry"))
        select key + "=" + Uri.EscapeDataString(value);

    private static readonly Gen<string> Query = Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(QueryPart, n)).Select(p => "?" + string.Join('&', p));

    private static readonly Gen<string?> Authorization = Gen.OneOf(
        Gen.Constant<string?>(null),
        Generators.Hostile.Select(h => (string?)h),
        Generators.Hostile.Select(h => (string?)("Basic " + h)),
        Generators.Hostile.Select(h => (string?)("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(h)))));

    private static readonly Gen<string> FormBody =
        from count in Gen.Choose(0, 6)
        from parts in Gen.ArrayOf(
            from key in Gen.Elements("grant_type", "service", "scope", "username", "password", "refresh_token", "client_id", "access_type")
            from value in Gen.OneOf(Generators.Hostile, Gen.Elements("password", "refresh_token", "registry", "asrt_x"))
            from escape in Gen.Elements(true, false)
            select key + "=" + (escape ? Uri.EscapeDataString(value) : value), count)
        select string.Join('&', parts);

    private static bool ExactlyOne(TokenRequestReader.Result result) => (result.Request is null) != (result.Error is null);

    [Property(MaxTest = 500)]
    public Property Any_get_is_a_request_or_a_reasoned_refusal() =>
        Prop.ForAll(Gen.Zip(Query, Authorization).ToArbitrary(), input =>
        {
            var http = new DefaultHttpContext();
            http.Request.Method = "GET";
            http.Request.QueryString = new QueryString(input.Item1);
            if (input.Item2 is { } auth) http.Request.Headers.Authorization = auth;
            return ExactlyOne(TokenRequestReader.ReadAsync(http, CancellationToken.None).GetAwaiter().GetResult());
        });

    [Property(MaxTest = 500)]
    public Property Any_post_form_is_a_request_or_a_reasoned_refusal() =>
        Prop.ForAll(FormBody.ToArbitrary(), body =>
        {
            var http = new DefaultHttpContext();
            http.Request.Method = "POST";
            http.Request.ContentType = "application/x-www-form-urlencoded";
            http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            return ExactlyOne(TokenRequestReader.ReadAsync(http, CancellationToken.None).GetAwaiter().GetResult());
        });

    [Property(MaxTest = 300)]
    public Property A_well_formed_get_keeps_its_service_and_scopes() =>
        Prop.ForAll(Generators.Scope.ToArbitrary(), scope =>
        {
            var http = new DefaultHttpContext();
            http.Request.Method = "GET";
            http.Request.QueryString = new QueryString($"?service=registry&scope={Uri.EscapeDataString(scope)}");
            http.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:secret"));
            var read = TokenRequestReader.ReadAsync(http, CancellationToken.None).GetAwaiter().GetResult();
            return read.Request is { } request && request.Service == "registry" && request.Username == "alice"
                   && request.Scopes.Single().ToString() == Core.Scopes.ScopeParser.ParseOne(scope).ToString();
        });
}
