$(document).ready(function() {});
