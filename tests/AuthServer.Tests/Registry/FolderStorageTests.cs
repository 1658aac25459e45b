using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Registry;

public class FolderStorageTests(Registry28Fixture f) : IClassFixture<Registry28Fixture>
{
    [Fact]
    public async Task Pushed_image_survives_a_registry_restart_on_the_same_folder()
    {
        var folder = TempDirectory.Create("registry-storage");
        try
        {
            var image = TestImage.Create();
            var token = await f.AdminTokenAsync("repository:kept/app:pull,push", "registry:catalog:*");
            var first = await f.StartRegistryAsync(o => o.StorageDirectory = folder);
            await first.Http.PushAsync(token, "kept/app", "v1", image);
            await first.DisposeAsync();

            var second = await f.StartRegistryAsync(o => o.StorageDirectory = folder);
            var manifest = await second.Http.SendAsync(HttpMethod.Get, "/v2/kept/app/manifests/v1", token, configure: r => r.Headers.Accept.ParseAdd(image.MediaType));
            var layer = await second.Http.SendAsync(HttpMethod.Get, $"/v2/kept/app/blobs/{image.LayerDigest}", token);
            var catalog = await second.Http.SendAsync(HttpMethod.Get, "/v2/_catalog", token);

            Assert.Equal(image.Manifest, manifest.Body);
            Assert.Equal(image.Layer, layer.Body);
            Assert.Equal("{\"repositories\":[\"kept/app\"]}\n", catalog.Text);
            var hex = image.LayerDigest["sha256:".Length..];
            Assert.Equal(image.Layer, await File.ReadAllBytesAsync(Path.Combine(folder, "blobs", "sha256", hex[..2], hex, "data")));
            Assert.True(File.Exists(Path.Combine(folder, "repositories", "kept", "app", "_manifests", "tags", "v1", "link")));
        }
        finally
        {
            TempDirectory.Delete(folder);
        }
    }

    [Fact]
    public async Task Memory_storage_starts_empty()
    {
        var token = await f.AdminTokenAsync("registry:catalog:*");
        var registry = await f.StartRegistryAsync();

        var catalog = await registry.Http.SendAsync(HttpMethod.Get, "/v2/_catalog", token);

        Assert.Equal(HttpStatusCode.OK, catalog.Status);
        Assert.Equal("{\"repositories\":[]}\n", catalog.Text);
    }
}
