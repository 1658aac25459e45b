using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuthServer.Interop.Tests.Infrastructure;

/// <summary>
/// Tiny images made on the spot, since nothing can be pulled from the internet: a root file
/// system tar with one file (for `docker import` and `podman import`), or the same file as the
/// only layer of an OCI image layout directory (for `skopeo copy oci:DIR:TAG`).
/// </summary>
public static class TestImages
{
    private const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar";
    private const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    private const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    public static void WriteRootfsTar(string path, string content)
    {
        using var file = File.Create(path);
        file.Write(RootfsTar(content));
    }

    /// <summary>Writes an OCI layout; returns the skopeo source name <c>oci:DIR:TAG</c>.</summary>
    public static string WriteOciLayout(string directory, string tag, string content)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var layer = RootfsTar(content);
        var layerDigest = WriteBlob(blobs, layer);
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = "amd64",
            os = "linux",
            config = new { },
            rootfs = new { type = "layers", diff_ids = new[] { layerDigest } },
        });
        var configDigest = WriteBlob(blobs, config);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = ManifestMediaType,
            config = new { mediaType = ConfigMediaType, digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = LayerMediaType, digest = layerDigest, size = layer.Length } },
        });
        var manifestDigest = WriteBlob(blobs, manifest);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllBytes(Path.Combine(directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            manifests = new[]
            {
                new
                {
                    mediaType = ManifestMediaType, digest = manifestDigest, size = manifest.Length,
                    annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
                },
            },
        }));
        return $"oci:{directory}:{tag}";
    }

    private static byte[] RootfsTar(string content)
    {
        using var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var data = Encoding.UTF8.GetBytes(content + "\n");
            var entry = new UstarTarEntry(TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream(data),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                // A fixed time: the same content always makes the same layer.
                ModificationTime = DateTimeOffset.UnixEpoch,
            };
            writer.WriteEntry(entry);
        }
        return stream.ToArray();
    }

    private static string WriteBlob(string blobs, byte[] data)
    {
        var digest = Digest(data);
        File.WriteAllBytes(Path.Combine(blobs, digest["sha256:".Length..]), data);
        return digest;
    }

    private static string Digest(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));
}
