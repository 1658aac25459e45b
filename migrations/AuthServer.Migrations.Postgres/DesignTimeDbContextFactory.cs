using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AuthServer.Migrations.Postgres;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model against PostgreSQL without starting the
/// server or reaching a database (generating a migration opens no connection).
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AuthServerDbContext>
{
    public AuthServerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AuthServerDbContext>()
            .UseNpgsql("Host=localhost;Database=design-time", o => o.MigrationsAssembly(typeof(DesignTimeDbContextFactory).Assembly.GetName().Name))
            .Options);
}
