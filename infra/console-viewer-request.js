// CloudFront Function (viewer request, cloudfront-js-2.0) on the console's S3 behavior: S3 has no
// directory index and knows no app route. The local API server runs this same file
// (local/console-static.ts), so a path answers alike on both.
// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls handler by name.
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '/console') {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: '/console/' } },
    };
  }
  if (uri.endsWith('/')) {
    request.uri = `${uri}index.html`;
    return request;
  }
  // An app route (/console/campaigns/x: no file extension) is the app's page.
  var last = uri.slice(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/console/index.html';
  return request;
}
