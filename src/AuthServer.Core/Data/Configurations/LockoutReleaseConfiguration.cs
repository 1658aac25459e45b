using AuthServer.Core.SignIn;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class LockoutReleaseConfiguration : IEntityTypeConfiguration<LockoutRelease>
{
    public void Configure(EntityTypeBuilder<LockoutRelease> b)
    {
        b.ToTable("lockout_releases");
        b.Property(r => r.Key).HasMaxLength(160);
    }
}
