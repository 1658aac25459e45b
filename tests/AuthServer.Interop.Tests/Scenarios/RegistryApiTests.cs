using System.Net;
using System.Text.Json;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.Scenarios;

/// <summary>
/// The registry API through the real registry 2.8: the catalog, deletes (skopeo and plain HTTP),
/// cross-repository blob mounts and tokens for several scopes. The registry alone decides whether
/// a token is enough; these tests only ask.
/// </summary>
public sealed class RegistryApiTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private static readonly Account Admin = new(AuthServerInstance.AdminName, AuthServerInstance.AdminPassword);
    private AuthServerInstance Server => fixture.Server;
    private RegistryApi Api => fixture.Api;

    private Task<RegistryApi.Answer> AsAsync(Account? account, HttpMethod method, string path) =>
        Api.SendAsync(method, path, account, Server.Http);

    [Fact]
    public async Task Catalog_is_listed_for_an_admin()
    {
        var owner = await Server.NewUserAsync("owner");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/listed");

        var catalog = await AsAsync(Admin, HttpMethod.Get, "/v2/_catalog?n=1000");
        Assert.Equal(HttpStatusCode.OK, catalog.Status);
        Assert.Contains($"{owner.Name}/listed", catalog.Json.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Catalog_is_refused_to_a_user_who_is_not_an_admin()
    {
        var user = await Server.NewUserAsync("user");
        var catalog = await AsAsync(user, HttpMethod.Get, "/v2/_catalog");
        Assert.Equal(HttpStatusCode.Unauthorized, catalog.Status);
        Assert.Equal(("registry:catalog:*", "insufficient_scope"), (catalog.Challenge?.Scope, catalog.Challenge?.Error));
    }

    [Fact]
    public async Task Delete_with_the_delete_right_removes_the_image()
    {
        var owner = await Server.NewUserAsync("owner");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/app", "by-skopeo");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/app", "by-http");

        // skopeo asks repository:<name>:* and gets the owner's pull, push and delete.
        (await fixture.Skopeo.DeleteAsync(fixture.Reference($"{owner.Name}/app", "by-skopeo"), owner.Creds)).EnsureSuccess();
        Assert.Equal(HttpStatusCode.NotFound, (await AsAsync(owner, HttpMethod.Head, $"/v2/{owner.Name}/app/manifests/by-skopeo")).Status);

        // Plain HTTP: DELETE by digest with a token holding delete.
        var digest = await DigestAsync(owner, $"{owner.Name}/app", "by-http");
        var token = await Server.GetTokenAsync(owner, $"repository:{owner.Name}/app:delete");
        var deleted = await Api.SendAsync(HttpMethod.Delete, $"/v2/{owner.Name}/app/manifests/{digest}", token);
        Assert.Equal(HttpStatusCode.Accepted, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await AsAsync(owner, HttpMethod.Head, $"/v2/{owner.Name}/app/manifests/by-http")).Status);
    }

    [Fact]
    public async Task Delete_without_the_delete_right_is_refused()
    {
        var owner = await Server.NewUserAsync("owner");
        var writer = await Server.NewUserAsync("writer");
        await Server.AllowAsync($"user:{writer.Name}", $"{owner.Name}/**", "pull", "push");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/kept");

        var skopeo = await fixture.Skopeo.DeleteAsync(fixture.Reference($"{owner.Name}/kept"), writer.Creds);
        skopeo.EnsureRefused("unauthorized", "denied");

        var digest = await DigestAsync(owner, $"{owner.Name}/kept", "1");
        var token = await Server.GetTokenAsync(writer, $"repository:{owner.Name}/kept:delete,pull,push");
        var deleted = await Api.SendAsync(HttpMethod.Delete, $"/v2/{owner.Name}/kept/manifests/{digest}", token);
        Assert.Equal(HttpStatusCode.Unauthorized, deleted.Status);
        Assert.Equal("insufficient_scope", deleted.Challenge?.Error);

        Assert.Equal(HttpStatusCode.OK, (await AsAsync(owner, HttpMethod.Head, $"/v2/{owner.Name}/kept/manifests/1")).Status);
    }

    [Fact]
    public async Task Blob_mount_from_another_repository_needs_pull_on_the_source()
    {
        var owner = await Server.NewUserAsync("owner");
        var reader = await Server.NewUserAsync("reader");
        var stranger = await Server.NewUserAsync("stranger");
        await Server.AllowAsync($"user:{reader.Name}", $"{owner.Name}/**", "pull");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/source");
        // skopeo compresses the layer on the way, so its digest is read back from the manifest.
        var manifest = await AsAsync(owner, HttpMethod.Get, $"/v2/{owner.Name}/source/manifests/1");
        var layer = manifest.Json.GetProperty("layers")[0].GetProperty("digest").GetString()!;

        var readerToken = await Server.GetTokenAsync(reader, $"repository:{reader.Name}/copy:pull,push", $"repository:{owner.Name}/source:pull");
        var mounted = await Api.SendAsync(HttpMethod.Post, $"/v2/{reader.Name}/copy/blobs/uploads/?mount={layer}&from={owner.Name}/source", readerToken);
        Assert.Equal(HttpStatusCode.Created, mounted.Status);
        Assert.Equal(layer, mounted.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(HttpStatusCode.OK, (await AsAsync(reader, HttpMethod.Head, $"/v2/{reader.Name}/copy/blobs/{layer}")).Status);

        var strangerToken = await Server.GetTokenAsync(stranger, $"repository:{stranger.Name}/copy:pull,push", $"repository:{owner.Name}/source:pull");
        var refused = await Api.SendAsync(HttpMethod.Post, $"/v2/{stranger.Name}/copy/blobs/uploads/?mount={layer}&from={owner.Name}/source", strangerToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("insufficient_scope", refused.Challenge?.Error);
        Assert.Contains($"repository:{owner.Name}/source:pull", refused.Challenge?.Scope);
    }

    [Fact]
    public async Task One_token_request_naming_several_scopes_gets_each_its_own_grant()
    {
        var owner = await Server.NewUserAsync("owner");
        var user = await Server.NewUserAsync("multi");
        await Server.AllowAsync($"user:{user.Name}", $"{owner.Name}/readable", "pull");
        await fixture.PushWithSkopeoAsync(owner, $"{owner.Name}/readable");
        string[] scopes = [$"repository:{owner.Name}/readable:pull", $"repository:{user.Name}/own:pull,push", "registry:catalog:*"];

        // GET with the scope parameter repeated (token.md) ...
        await AssertGrantsAsync(await Server.GetTokenAsync(user, scopes));

        // ... and POST with one space-separated scope field (oauth.md).
        using var post = await Server.Http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = user.Name,
            ["password"] = user.Password,
            ["service"] = AuthServerInstance.Service,
            ["client_id"] = "interop-test",
            ["scope"] = string.Join(' ', scopes),
        }));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        await AssertGrantsAsync(JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!);

        async Task AssertGrantsAsync(string token)
        {
            Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Head, $"/v2/{owner.Name}/readable/manifests/1", token)).Status);
            Assert.Equal(HttpStatusCode.Accepted, (await Api.SendAsync(HttpMethod.Post, $"/v2/{user.Name}/own/blobs/uploads/", token)).Status);
            var catalog = await Api.SendAsync(HttpMethod.Get, "/v2/_catalog", token);
            Assert.Equal((HttpStatusCode.Unauthorized, "insufficient_scope"), (catalog.Status, catalog.Challenge?.Error));
            // Pull only on the other user's repository: a push there is refused by the registry.
            var push = await Api.SendAsync(HttpMethod.Post, $"/v2/{owner.Name}/readable/blobs/uploads/", token);
            Assert.Equal(HttpStatusCode.Unauthorized, push.Status);
        }
    }

    private async Task<string> DigestAsync(Account account, string repository, string tag)
    {
        var head = await AsAsync(account, HttpMethod.Head, $"/v2/{repository}/manifests/{tag}");
        Assert.Equal(HttpStatusCode.OK, head.Status);
        return head.Headers.GetValues("Docker-Content-Digest").Single();
    }
}
