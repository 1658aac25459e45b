using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Core.Data;

/// <summary>
/// Carries this process's <see cref="LocalChanges"/> to each context in its options. The
/// interceptors themselves are shared, stateless instances: EF builds one internal service provider
/// per distinct set of interceptors, and an instance per host would build one per test server.
/// </summary>
public sealed class LocalChangesExtension(LocalChanges local) : IDbContextOptionsExtension
{
    public LocalChanges Local => local;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;
        public override string LogFragment => "";

        // The instance changes nothing in EF's own services: every host shares one provider.
        public override int GetServiceProviderHashCode() => 0;
        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}
