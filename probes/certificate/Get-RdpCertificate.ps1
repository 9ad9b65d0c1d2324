#Requires -Version 5.1
<#
.SYNOPSIS
Reads the certificate the RDP-Tcp listener is bound to: where it is, when it expires, whether it has
its private key, and what might stop Windows from renewing it.

.DESCRIPTION
The binding comes from Win32_TSGeneralSetting (SSLCertificateSHA1Hash, SSLCertificateSHA1HashType:
1 self-signed, 2 group-policy template, 3 custom), cross-checked with the registry: WinStations\
SelfSignedCertificate (+ SelfSignedCertStore) for the self-signed one, RDP-Tcp\SSLCertificateSHA1Hash
for a custom one; when WMI refuses this account, the registry's binding is used. The certificate is
looked up, with X509Store (a refused store is told from an absent one), in the SelfSignedCertStore store
and LocalMachine\My; other expired certificates in those stores are listed too. Also read: the
services Windows needs to regenerate a self-signed certificate (SessionEnv, CertPropSvc, KeyIso,
CryptSvc), for a self-signed binding whether the store's registry key
(HKLM\SOFTWARE\Microsoft\SystemCertificates\<store>\Certificates) denies SYSTEM CreateSubKey, and recent System events 1057/1058 and Schannel 36870/36871/36874. An event log that
cannot be read is reported in the data, not as a failure of the check.

.PARAMETER EventDays
How many days back to read events.

.OUTPUTS
System.String. One JSON probe envelope: {"probe":"certificate","schema":1,"ok":true,"data":{...}}.
#>
[CmdletBinding()]
param([ValidateRange(1, 365)][int]$EventDays = 30)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Certificate.psm1')

$script:CertificateEventProviders = @('Microsoft-Windows-TerminalServices-RemoteConnectionManager', 'TermService', 'Schannel')

function Get-RdpCertificateEvent {
    <#
    .SYNOPSIS
    Recent certificate events (System 1057, 1058; Schannel 36870, 36871, 36872, 36874), counted per id.
    .OUTPUTS
    PSCustomObject with readable, errorKind, error, sinceDays, items (id, providerName, logName, count, newest, message).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][int]$Days)
    # 36872 (no suitable default server credential) comes with 36870 (private key not accessible).
    $filter = @{ LogName = 'System'; Id = @(1057, 1058, 36870, 36871, 36872, 36874); StartTime = (Get-Date).AddDays(-$Days) }
    $events = @()
    $readable = $true
    $errorKind = $null
    $errorMessage = $null
    try {
        $events = @(Get-WinEvent -FilterHashtable $filter -MaxEvents 500 -ErrorAction Stop)
    } catch {
        # "No events were found" is an error record by id, not by (localized) text.
        if ($_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') {
            $readable = $false
            $errorKind = Get-RdpErrorKind -ErrorRecord $_
            $errorMessage = $_.Exception.Message
        }
    }
    # The same ids mean other things from other sources (System 1058 is also Group Policy's common
    # "gpt.ini" failure on domain members): keep the Remote Desktop and Schannel ones only.
    $events = @($events | Where-Object { $script:CertificateEventProviders -contains [string]$_.ProviderName })
    $items = @(foreach ($group in @($events | Group-Object -Property Id, ProviderName)) {
            $newest = @($group.Group | Sort-Object -Property TimeCreated -Descending)[0]
            $message = $null
            if ($null -ne $newest.Message) {
                $message = ([string]$newest.Message -split "`r?`n")[0]
                if ($message.Length -gt 300) { $message = $message.Substring(0, 300) }
            }
            [PSCustomObject][ordered]@{
                id           = [int]$newest.Id
                providerName = [string]$newest.ProviderName
                logName      = [string]$newest.LogName
                count        = [int]$group.Count
                newest       = ConvertTo-RdpIsoDate -Date $newest.TimeCreated
                message      = $message
            }
        })
    [PSCustomObject][ordered]@{
        readable  = $readable
        errorKind = $errorKind
        error     = $errorMessage
        sinceDays = $Days
        items     = @($items | Sort-Object -Property id)
    }
}

Invoke-RdpProbe -Name 'certificate' -Body {
    $binding = Get-RdpCertificateBinding
    $now = Get-Date

    $search = Find-RdpBoundCertificate -Binding $binding
    $bound = $search.Found

    $stores = @()
    $expired = @()
    foreach ($store in @($search.Stores)) {
        $stores += [PSCustomObject][ordered]@{ name = $store.Store; present = ($store.Access -eq 'read'); access = $store.Access; error = $store.Error; count = @($store.Certificates).Count }
        foreach ($certificate in @($store.Certificates)) {
            if ((ConvertTo-RdpThumbprint ([string]$certificate.Thumbprint)) -eq $binding.BoundThumbprint) { continue }
            if ($certificate.NotAfter -lt $now) { $expired += ConvertTo-RdpCertificateInfo -Certificate $certificate -Store $store.Store }
        }
    }

    $services = @(foreach ($service in @(Get-RdpServiceState -Name 'SessionEnv', 'CertPropSvc', 'KeyIso', 'CryptSvc')) {
            [PSCustomObject][ordered]@{ name = $service.Name; present = $service.Present; state = $service.State; startMode = $service.StartMode }
        })

    # Whether the self-signed store's registry key lets Windows add a new certificate (a hardening
    # Deny CreateSubKey for SYSTEM forbids it for good).
    $storeAcl = $null
    if ($binding.BindingType -eq 1) {
        $denial = Get-RdpStoreCreateDenial -Store $binding.SelfSignedStore
        $storeAcl = [PSCustomObject][ordered]@{ key = $denial.Key; readable = $denial.Readable; error = $denial.Error; denied = @($denial.Denied) }
    }

    $boundCertificate = $null
    $boundStore = $null
    $foundIn = @()
    if ($null -ne $bound) {
        $boundCertificate = ConvertTo-RdpCertificateInfo -Certificate $bound.Certificate -Store $bound.Store
        $boundStore = $bound.Store
        $foundIn = @($bound.FoundIn)
    }

    [PSCustomObject][ordered]@{
        boundThumbprint      = $binding.BoundThumbprint
        bindingType          = $binding.BindingType
        bindingSource        = $binding.BindingSource
        wmiThumbprint        = $binding.WmiThumbprint
        registryThumbprint   = $binding.RegistryThumbprint
        customThumbprint     = $binding.CustomThumbprint
        selfSignedThumbprint = $binding.SelfSignedThumbprint
        selfSignedStore      = $binding.SelfSignedStore
        thumbprintsAgree     = $binding.ThumbprintsAgree
        wmi                  = ConvertTo-RdpWmiReadData -Read $binding.Wmi
        boundFound          = ($null -ne $bound)
        boundStore          = $boundStore
        boundFoundIn        = @($foundIn)
        boundCertificate    = $boundCertificate
        stores              = @($stores)
        expiredCertificates = @($expired)
        services            = @($services)
        storeAcl            = $storeAcl
        events              = Get-RdpCertificateEvent -Days $EventDays
    }
}
