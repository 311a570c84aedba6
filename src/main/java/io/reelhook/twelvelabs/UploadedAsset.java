package io.reelhook.twelvelabs;

/**
 * A file Twelve Labs received whole through a multipart upload: its session is {@code completed}. The asset itself is
 * validated afterwards; poll {@code GET /assets/{asset_id}} until it is {@code ready}. {@code url} is the asset's URL
 * when Twelve Labs gave one with the last report, else null.
 */
public record UploadedAsset(String assetId, String uploadId, String url) {}
