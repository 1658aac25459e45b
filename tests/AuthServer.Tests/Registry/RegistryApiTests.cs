using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Registry;

/// <summary>The v2 API subset over real HTTP, with admin tokens from our server (so access is never the question here).</summary>
public class RegistryApiTests(Registry28Fixture f) : IClassFixture<Registry28Fixture>
{
    private readonly HttpClient _http = f.Http;

    private static string NewRepository(string prefix = "api") => $"{prefix}/r{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 14, 64)];

    private Task<string> TokenAsync(params string[] repositories) =>
        f.AdminTokenAsync(repositories.Select(r => $"repository:{r}:pull,push,delete").ToArray());

    [Fact]
    public async Task Monolithic_post_with_a_digest_stores_the_blob()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var blob = Encoding.UTF8.GetBytes("monolithic blob " + Guid.NewGuid());
        var digest = TestImage.Digest(blob);

        var created = await _http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/?digest={digest}", token, blob);
        var head = await _http.SendAsync(HttpMethod.Head, $"/v2/{repo}/blobs/{digest}", token);
        var get = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/blobs/{digest}", token);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal($"{_http.BaseAddress!.ToString().TrimEnd('/')}/v2/{repo}/blobs/{digest}", created.Header("Location"));
        Assert.Equal(digest, created.Header("Docker-Content-Digest"));
        Assert.Equal(HttpStatusCode.OK, head.Status);
        Assert.Equal(blob.Length, head.ContentHeaders.ContentLength);
        Assert.Empty(head.Body);
        Assert.Equal(blob, get.Body);
        Assert.Equal(digest, get.Header("Docker-Content-Digest"));
    }

    [Fact]
    public async Task Chunked_upload_takes_patches_in_order_and_completes_with_put()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var blob = Encoding.UTF8.GetBytes("first part|second part " + Guid.NewGuid());
        var digest = TestImage.Digest(blob);

        var start = await _http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/", token);
        Assert.Equal(HttpStatusCode.Accepted, start.Status);
        Assert.Equal("0-0", start.Header("Range"));
        var location = new Uri(start.Header("Location")!).PathAndQuery;
        Assert.Equal(location.Split('/')[^1], start.Header("Docker-Upload-UUID"));

        var first = await _http.SendAsync(HttpMethod.Patch, location, token, blob[..10], configure: r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", "0-9"));
        var status = await _http.SendAsync(HttpMethod.Get, location, token);
        var outOfOrder = await _http.SendAsync(HttpMethod.Patch, location, token, blob[10..], configure: r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", "5-20"));
        var second = await _http.SendAsync(HttpMethod.Patch, location, token, blob[10..]);
        var done = await _http.SendAsync(HttpMethod.Put, $"{location}?digest={digest}", token);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal("0-9", first.Header("Range"));
        Assert.Equal(HttpStatusCode.NoContent, status.Status);
        Assert.Equal("0-9", status.Header("Range"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, outOfOrder.Status);
        Assert.Equal("RANGE_INVALID", outOfOrder.ErrorCode);
        Assert.Equal($"0-{blob.Length - 1}", second.Header("Range"));
        Assert.Equal(HttpStatusCode.Created, done.Status);
        Assert.Equal(digest, done.Header("Docker-Content-Digest"));
        Assert.Equal(blob, (await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/blobs/{digest}", token)).Body);
    }

    [Fact]
    public async Task Completing_with_a_wrong_digest_is_digest_invalid_and_ends_the_upload()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var start = await _http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/", token);
        var location = new Uri(start.Header("Location")!).PathAndQuery;
        var wrong = TestImage.Digest(Encoding.UTF8.GetBytes("something else"));

        var missing = await _http.SendAsync(HttpMethod.Put, location, token, "abc"u8.ToArray());
        var mismatch = await _http.SendAsync(HttpMethod.Put, $"{location}?digest={wrong}", token, "abc"u8.ToArray());
        var after = await _http.SendAsync(HttpMethod.Get, location, token);
        var monolithic = await _http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/?digest={wrong}", token, "abc"u8.ToArray());
        var badDigest = await _http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/?digest=md5:abc", token, "abc"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("DIGEST_INVALID", missing.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
        Assert.Equal("DIGEST_INVALID", mismatch.ErrorCode);
        Assert.Equal("provided digest did not match uploaded content", mismatch.Json.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, after.Status);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", after.ErrorCode);
        Assert.Equal("DIGEST_INVALID", monolithic.ErrorCode);
        Assert.Equal("DIGEST_INVALID", badDigest.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(HttpMethod.Head, $"/v2/{repo}/blobs/{wrong}", token)).Status);
    }

    [Fact]
    public async Task Unknown_or_cancelled_upload_is_blob_upload_unknown()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var start = await _http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/", token);
        var location = new Uri(start.Header("Location")!).PathAndQuery;

        var cancel = await _http.SendAsync(HttpMethod.Delete, location, token);
        var afterCancel = await _http.SendAsync(HttpMethod.Patch, location, token, "x"u8.ToArray());
        var made_up = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/blobs/uploads/{Guid.NewGuid()}", token);
        var notAnId = await _http.SendAsync(HttpMethod.Put, $"/v2/{repo}/blobs/uploads/..%2F..%2Fetc?digest=sha256:{new string('0', 64)}", token);

        Assert.Equal(HttpStatusCode.NoContent, cancel.Status);
        foreach (var answer in new[] { afterCancel, made_up, notAnId })
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.Status);
            Assert.Equal("BLOB_UPLOAD_UNKNOWN", answer.ErrorCode);
        }
    }

    [Fact]
    public async Task Mount_links_a_blob_from_another_repository_and_falls_back_to_an_upload()
    {
        var (source, target) = (NewRepository("src"), NewRepository("dst"));
        var token = await TokenAsync(source, target);
        var blob = Encoding.UTF8.GetBytes("mounted " + Guid.NewGuid());
        var digest = TestImage.Digest(blob);
        await _http.SendAsync(HttpMethod.Post, $"/v2/{source}/blobs/uploads/?digest={digest}", token, blob);

        var mounted = await _http.SendAsync(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount={digest}&from={source}", token);
        var unknown = await _http.SendAsync(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount=sha256:{new string('1', 64)}&from={source}", token);

        Assert.Equal(HttpStatusCode.Created, mounted.Status);
        Assert.Equal(digest, mounted.Header("Docker-Content-Digest"));
        Assert.Equal(blob, (await _http.SendAsync(HttpMethod.Get, $"/v2/{target}/blobs/{digest}", token)).Body);
        Assert.Equal(HttpStatusCode.Accepted, unknown.Status);
        Assert.NotNull(unknown.Header("Docker-Upload-UUID"));
    }

    [Fact]
    public async Task Mount_needs_pull_on_the_source_repository()
    {
        var (source, target) = (NewRepository("src"), NewRepository("dst"));
        var onlyTarget = await f.AdminTokenAsync($"repository:{target}:pull,push");

        var answer = await _http.SendAsync(HttpMethod.Post, $"/v2/{target}/blobs/uploads/?mount=sha256:{new string('2', 64)}&from={source}", onlyTarget);

        answer.AssertChallenge(f.Realm, $"repository:{target}:pull,push repository:{source}:pull", "insufficient_scope");
    }

    [Fact]
    public async Task Manifest_is_served_by_tag_and_by_digest_with_its_media_type_and_digest()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        foreach (var mediaType in new[] { TestImage.OciManifest, TestImage.DockerManifest })
        {
            var image = TestImage.Create(mediaType);
            var pushed = await _http.PushAsync(token, repo, "latest", image);
            Assert.Equal($"{_http.BaseAddress!.ToString().TrimEnd('/')}/v2/{repo}/manifests/{image.ManifestDigest}", pushed.Header("Location"));

            foreach (var reference in new[] { "latest", image.ManifestDigest })
            {
                var get = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/{reference}", token, configure: r => r.Headers.Accept.ParseAdd(mediaType));
                var head = await _http.SendAsync(HttpMethod.Head, $"/v2/{repo}/manifests/{reference}", token, configure: r => r.Headers.Accept.ParseAdd(mediaType));
                Assert.Equal(image.Manifest, get.Body);
                Assert.Equal(mediaType, get.ContentHeaders.ContentType?.MediaType);
                Assert.Equal(image.ManifestDigest, get.Header("Docker-Content-Digest"));
                Assert.Equal(HttpStatusCode.OK, head.Status);
                Assert.Equal(image.Manifest.Length, head.ContentHeaders.ContentLength);
                Assert.Equal(image.ManifestDigest, head.Header("Docker-Content-Digest"));
            }
        }
    }

    [Fact]
    public async Task Manifest_put_by_digest_must_match_its_content()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var image = TestImage.Create();
        await _http.PushAsync(token, repo, "v1", image);

        var right = await _http.SendAsync(HttpMethod.Put, $"/v2/{repo}/manifests/{image.ManifestDigest}", token, image.Manifest, image.MediaType);
        var wrong = await _http.SendAsync(HttpMethod.Put, $"/v2/{repo}/manifests/{image.ConfigDigest}", token, image.Manifest, image.MediaType);

        Assert.Equal(HttpStatusCode.Created, right.Status);
        Assert.Equal("DIGEST_INVALID", wrong.ErrorCode);
    }

    [Fact]
    public async Task OCI_manifest_is_withheld_from_a_client_that_does_not_accept_it()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        await _http.PushAsync(token, repo, "v1", TestImage.Create());

        var answer = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/v1", token, configure: r => r.Headers.Accept.ParseAdd(TestImage.DockerManifest));

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("MANIFEST_UNKNOWN", answer.ErrorCode);
        Assert.Contains("accept header does not support OCI manifests", answer.Text);
    }

    [Fact]
    public async Task Manifest_naming_blobs_the_repository_lacks_is_manifest_blob_unknown()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var image = TestImage.Create();

        var answer = await _http.SendAsync(HttpMethod.Put, $"/v2/{repo}/manifests/v1", token, image.Manifest, image.MediaType);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(["MANIFEST_BLOB_UNKNOWN", "MANIFEST_BLOB_UNKNOWN"], answer.ErrorCodes);
        Assert.Equal(image.ConfigDigest, answer.Json.GetProperty("errors")[0].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Malformed_manifests_are_manifest_invalid()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var cases = new (byte[] Body, string ContentType)[]
        {
            ("not json"u8.ToArray(), TestImage.OciManifest),
            ("[]"u8.ToArray(), TestImage.OciManifest),
            ("{\"schemaVersion\":1}"u8.ToArray(), TestImage.OciManifest),
            ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}"u8.ToArray(), TestImage.OciManifest),
            ("{\"schemaVersion\":2,\"config\":{},\"layers\":[]}"u8.ToArray(), TestImage.DockerManifest),
            ("{\"schemaVersion\":2}"u8.ToArray(), "application/vnd.docker.distribution.manifest.v1+prettyjws"),
            ("{\"schemaVersion\":2}"u8.ToArray(), "text/plain"),
        };
        foreach (var (body, contentType) in cases)
        {
            var answer = await _http.SendAsync(HttpMethod.Put, $"/v2/{repo}/manifests/v1", token, body, contentType);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal("MANIFEST_INVALID", answer.ErrorCode);
        }
        var huge = await _http.SendAsync(HttpMethod.Put, $"/v2/{repo}/manifests/v1", token, new byte[5 * 1024 * 1024], TestImage.OciManifest);
        Assert.Equal("MANIFEST_INVALID", huge.ErrorCode);
    }

    [Fact]
    public async Task Tags_are_listed_in_order_and_paged_with_n_and_last()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var image = TestImage.Create();
        await _http.PushAsync(token, repo, "c", image);
        foreach (var tag in new[] { "a", "b" })
            await _http.SendAsync(HttpMethod.Put, $"/v2/{repo}/manifests/{tag}", token, image.Manifest, image.MediaType);

        var all = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list", token);
        var first = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list?n=2", token);
        var rest = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list?n=2&last=b", token);

        Assert.Equal($"{{\"name\":\"{repo}\",\"tags\":[\"a\",\"b\",\"c\"]}}\n", all.Text);
        Assert.Equal($"{{\"name\":\"{repo}\",\"tags\":[\"a\",\"b\"]}}\n", first.Text);
        Assert.Equal($"</v2/{repo}/tags/list?last=b&n=2>; rel=\"next\"", first.Header("Link"));
        Assert.Equal($"{{\"name\":\"{repo}\",\"tags\":[\"c\"]}}\n", rest.Text);
        Assert.Null(rest.Header("Link"));
    }

    [Fact]
    public async Task Tags_of_an_unknown_repository_are_name_unknown()
    {
        var repo = NewRepository();

        var answer = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list", await TokenAsync(repo));

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("NAME_UNKNOWN", answer.ErrorCode);
    }

    [Fact]
    public async Task Catalog_lists_repositories_in_order_and_pages_with_n_and_last()
    {
        var registry = await f.StartRegistryAsync();
        var repos = new[] { "cat/a-b", "cat/a/b", "cat/a", "zeta" };
        var token = await TokenAsync(repos);
        foreach (var repo in repos) await registry.Http.PushAsync(token, repo, "v1", TestImage.Create());
        var catalog = await f.AdminTokenAsync("registry:catalog:*");

        var all = await registry.Http.SendAsync(HttpMethod.Get, "/v2/_catalog", catalog);
        var first = await registry.Http.SendAsync(HttpMethod.Get, "/v2/_catalog?n=2", catalog);
        var second = await registry.Http.SendAsync(HttpMethod.Get, "/v2/_catalog?n=2&last=cat/a/b", catalog);
        var invalid = await registry.Http.SendAsync(HttpMethod.Get, "/v2/_catalog?n=many", catalog);
        var tooMany = await registry.Http.SendAsync(HttpMethod.Get, "/v2/_catalog?n=100000", catalog);

        // '/' sorts before every other character (storage/catalog.go lessPath).
        Assert.Equal("{\"repositories\":[\"cat/a\",\"cat/a/b\",\"cat/a-b\",\"zeta\"]}\n", all.Text);
        Assert.Equal("{\"repositories\":[\"cat/a\",\"cat/a/b\"]}\n", first.Text);
        Assert.Equal("</v2/_catalog?last=cat%2Fa%2Fb&n=2>; rel=\"next\"", first.Header("Link"));
        Assert.Equal("{\"repositories\":[\"cat/a-b\",\"zeta\"]}\n", second.Text);
        Assert.Equal("PAGINATION_NUMBER_INVALID", invalid.ErrorCode);
        Assert.Equal("PAGINATION_NUMBER_INVALID", tooMany.ErrorCode);
    }

    [Fact]
    public async Task Deleting_a_manifest_removes_its_tags_and_deleting_a_tag_keeps_the_manifest()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var image = TestImage.Create();
        await _http.PushAsync(token, repo, "keep", image);
        await _http.SendAsync(HttpMethod.Put, $"/v2/{repo}/manifests/drop", token, image.Manifest, image.MediaType);

        var untag = await _http.SendAsync(HttpMethod.Delete, $"/v2/{repo}/manifests/drop", token);
        var byDigestAfterUntag = await _http.SendAsync(HttpMethod.Head, $"/v2/{repo}/manifests/{image.ManifestDigest}", token,
            configure: r => r.Headers.Accept.ParseAdd(image.MediaType));
        var delete = await _http.SendAsync(HttpMethod.Delete, $"/v2/{repo}/manifests/{image.ManifestDigest}", token);
        var byTag = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/keep", token);
        var again = await _http.SendAsync(HttpMethod.Delete, $"/v2/{repo}/manifests/{image.ManifestDigest}", token);

        Assert.Equal(HttpStatusCode.Accepted, untag.Status);
        Assert.Equal(HttpStatusCode.OK, byDigestAfterUntag.Status);
        Assert.Equal(HttpStatusCode.Accepted, delete.Status);
        Assert.Equal("MANIFEST_UNKNOWN", byTag.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Equal("{\"name\":\"" + repo + "\",\"tags\":[]}\n", (await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/tags/list", token)).Text);
    }

    [Fact]
    public async Task Deleted_blob_is_blob_unknown_in_that_repository_only()
    {
        var (repo, other) = (NewRepository(), NewRepository());
        var token = await TokenAsync(repo, other);
        var blob = Encoding.UTF8.GetBytes("shared " + Guid.NewGuid());
        var digest = TestImage.Digest(blob);
        await _http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/?digest={digest}", token, blob);
        await _http.SendAsync(HttpMethod.Post, $"/v2/{other}/blobs/uploads/?mount={digest}&from={repo}", token);

        var delete = await _http.SendAsync(HttpMethod.Delete, $"/v2/{repo}/blobs/{digest}", token);
        var gone = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/blobs/{digest}", token);
        var headGone = await _http.SendAsync(HttpMethod.Head, $"/v2/{repo}/blobs/{digest}", token);

        Assert.Equal(HttpStatusCode.Accepted, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal("BLOB_UNKNOWN", gone.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, headGone.Status);
        Assert.Empty(headGone.Body);
        Assert.Equal(blob, (await _http.SendAsync(HttpMethod.Get, $"/v2/{other}/blobs/{digest}", token)).Body);
    }

    [Fact]
    public async Task Blob_is_served_in_ranges()
    {
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var blob = Encoding.UTF8.GetBytes("0123456789abcdef");
        var digest = TestImage.Digest(blob);
        await _http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/?digest={digest}", token, blob);

        var part = await _http.SendAsync(HttpMethod.Get, $"/v2/{repo}/blobs/{digest}", token, configure: r => r.Headers.Range = new RangeHeaderValue(4, 7));

        Assert.Equal(HttpStatusCode.PartialContent, part.Status);
        Assert.Equal("4567", part.Text);
    }

    [Fact]
    public async Task Bad_names_references_and_routes_get_registry_errors()
    {
        var token = await f.AdminTokenAsync("repository:ok/app:pull,push,delete");

        var name = await _http.SendAsync(HttpMethod.Get, "/v2/Bad/Name/tags/list", token);
        var digest = await _http.SendAsync(HttpMethod.Get, "/v2/ok/app/blobs/sha256:xyz", token);
        var tag = await _http.SendAsync(HttpMethod.Get, "/v2/ok/app/manifests/-bad-tag", token);
        var route = await _http.SendAsync(HttpMethod.Get, "/v2/ok/app/unknown", token);
        var method = await _http.SendAsync(HttpMethod.Post, "/v2/ok/app/tags/list", token);

        Assert.Equal((HttpStatusCode.BadRequest, "NAME_INVALID"), (name.Status, name.ErrorCode));
        Assert.Equal((HttpStatusCode.BadRequest, "DIGEST_INVALID"), (digest.Status, digest.ErrorCode));
        Assert.Equal((HttpStatusCode.BadRequest, "TAG_INVALID"), (tag.Status, tag.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (route.Status, route.ErrorCode));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "UNSUPPORTED"), (method.Status, method.ErrorCode));
        Assert.Equal("GET", method.Header("Allow"));
    }

    [Fact]
    public async Task Blob_past_the_size_limit_is_too_large_and_leaves_nothing_behind()
    {
        var registry = await f.StartRegistryAsync(o => o.MaxBlobBytes = 100);
        var repo = NewRepository();
        var token = await TokenAsync(repo);
        var blob = new byte[101];

        var monolithic = await registry.Http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/?digest={TestImage.Digest(blob)}", token, blob);
        var start = await registry.Http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/", token);
        var location = new Uri(start.Header("Location")!).PathAndQuery;
        await registry.Http.SendAsync(HttpMethod.Patch, location, token, blob[..60]);
        var chunk = await registry.Http.SendAsync(HttpMethod.Patch, location, token, blob[60..]);
        var status = await registry.Http.SendAsync(HttpMethod.Get, location, token);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "TOO_LARGE"), (monolithic.Status, monolithic.ErrorCode));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "TOO_LARGE"), (chunk.Status, chunk.ErrorCode));
        Assert.Equal("0-59", status.Header("Range"));
    }
}
