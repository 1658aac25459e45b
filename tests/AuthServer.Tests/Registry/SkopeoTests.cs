using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Registry;

/// <summary>
/// A real client, skopeo (containers/image), copies an image the test made into the built-in
/// registry through our token server and back; every digest must survive the round trip.
/// </summary>
public abstract class SkopeoTests<TFixture>(TFixture f) where TFixture : RegistryFixture
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Skopeo_copies_an_image_in_and_back_out_with_the_same_digests()
    {
        var skopeo = ExternalTool.Require("skopeo", "skopeo");
        var (user, password) = await f.NewUserAsync("skopeo");
        var work = TempDirectory.Create("skopeo");
        try
        {
            var image = TestImage.Create();
            var source = Path.Combine(work, "source");
            var copy = Path.Combine(work, "copy");
            image.WriteOciLayout(source, "v1");
            var reference = $"docker://{f.Registry.BaseAddress.Authority}/{user}/app:v1";

            var push = await ExternalTool.RunAsync(skopeo, work, Timeout, "--insecure-policy", "copy",
                "--dest-creds", $"{user}:{password}", "--dest-tls-verify=false", $"oci:{source}:v1", reference);
            Assert.True(push.ExitCode == 0, $"skopeo copy into the registry failed: {push}");

            var pull = await ExternalTool.RunAsync(skopeo, work, Timeout, "--insecure-policy", "copy",
                "--src-creds", $"{user}:{password}", "--src-tls-verify=false", reference, $"oci:{copy}:v1");
            Assert.True(pull.ExitCode == 0, $"skopeo copy out of the registry failed: {pull}");

            using var index = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(copy, "index.json")));
            Assert.Equal(image.ManifestDigest, index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString());
            foreach (var (digest, content) in new[] { (image.ManifestDigest, image.Manifest), (image.ConfigDigest, image.Config), (image.LayerDigest, image.Layer) })
                Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(copy, "blobs", "sha256", digest["sha256:".Length..])));

            var token = await f.TokenAsync(user, password, $"repository:{user}/app:pull");
            var stored = await f.Http.SendAsync(HttpMethod.Head, $"/v2/{user}/app/manifests/v1", token, configure: r => r.Headers.Accept.ParseAdd(image.MediaType));
            Assert.Equal(HttpStatusCode.OK, stored.Status);
            Assert.Equal(image.ManifestDigest, stored.Header("Docker-Content-Digest"));
        }
        finally
        {
            TempDirectory.Delete(work);
        }
    }

    [Fact]
    public async Task Skopeo_push_by_a_pull_only_user_is_refused()
    {
        var skopeo = ExternalTool.Require("skopeo", "skopeo");
        var (user, password) = await f.NewUserAsync("skopeo");
        var work = TempDirectory.Create("skopeo");
        try
        {
            TestImage.Create().WriteOciLayout(Path.Combine(work, "source"), "v1");

            var push = await ExternalTool.RunAsync(skopeo, work, Timeout, "--insecure-policy", "copy", "--retry-times", "0",
                "--dest-creds", $"{user}:{password}", "--dest-tls-verify=false", $"oci:{Path.Combine(work, "source")}:v1",
                $"docker://{f.Registry.BaseAddress.Authority}/someone-else/app:v1");

            Assert.NotEqual(0, push.ExitCode);
            Assert.Matches("(?i)denied|unauthorized|authentication required", push.Error);
        }
        finally
        {
            TempDirectory.Delete(work);
        }
    }
}

public sealed class SkopeoTests28(Registry28Fixture f) : SkopeoTests<Registry28Fixture>(f), IClassFixture<Registry28Fixture>;

public sealed class SkopeoTests3KidOnly(Registry3KidOnlyFixture f) : SkopeoTests<Registry3KidOnlyFixture>(f), IClassFixture<Registry3KidOnlyFixture>;
